/** Customer email: a transactional outbox committed with the step that causes a mail, and its delivery over SMTP with retries. */
package io.nodelock.notification;
