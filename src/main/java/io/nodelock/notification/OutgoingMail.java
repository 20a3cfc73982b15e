package io.nodelock.notification;

/**
 * A mail to queue. {@code operationId} makes queuing idempotent: the same operation (e.g. "license-mail:<fulfillment>")
 * queues one mail however often its step runs. {@code auditSubject} files its delivery events under what it is about.
 */
public record OutgoingMail(String operationId, String auditSubject, String recipient, String subject, String body,
                           String attachmentName, String attachment) {
}
