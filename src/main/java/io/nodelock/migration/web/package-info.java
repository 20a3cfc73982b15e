/** The license migration REST API: offers, requests, their status and license file. */
package io.nodelock.migration.web;
