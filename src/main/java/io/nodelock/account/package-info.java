/** Customer and staff accounts, their API tokens and roles, and how every caller of the service is authenticated. */
package io.nodelock.account;
