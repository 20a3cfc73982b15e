package io.nodelock.account;

/**
 * A mail to a person of an account (an invitation, a password reset), published in the transaction that makes its
 * link: the notification capability queues it in that same transaction. An event rather than a call, because mail
 * already depends on accounts (who may see and retry it) and the dependency must point one way.
 */
public record AccountMail(String operationId, String auditSubject, String recipient, String subject, String body) {
}
