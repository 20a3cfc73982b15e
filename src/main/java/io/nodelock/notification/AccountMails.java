package io.nodelock.notification;

import io.nodelock.account.AccountMail;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Queues the account capability's mails (invitations, password resets) in the publishing transaction. */
@Component
class AccountMails {

    private final MailOutbox outbox;

    AccountMails(MailOutbox outbox) {
        this.outbox = outbox;
    }

    @EventListener
    void queue(AccountMail mail) {
        outbox.enqueue(new OutgoingMail(mail.operationId(), mail.auditSubject(), mail.recipient(), mail.subject(), mail.body(), null, null));
    }
}
