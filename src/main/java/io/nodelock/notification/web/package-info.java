/** The operators' view of the mail outbox: mails given up on, and their retry. */
package io.nodelock.notification.web;
