/** Shared set-up of the integration tests: the running service on a fresh PostgreSQL database with a GreenMail SMTP server. */
package io.nodelock.support;
