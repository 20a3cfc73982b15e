/** The zero-setup run's demo data: accounts with API tokens, staff sign-ins and PAKs to try the service with. */
package io.nodelock.demo;
