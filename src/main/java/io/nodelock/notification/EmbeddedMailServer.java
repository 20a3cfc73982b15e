package io.nodelock.notification;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The zero-setup run's mail server: SMTP for the service, IMAP for people to read what was sent (any user name is
 * the mailbox of that address, any password works). Never enabled in production.
 */
@Component
@ConditionalOnProperty(prefix = "nodelock.mail.embedded", name = "enabled", havingValue = "true")
public class EmbeddedMailServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMailServer.class);

    private final MailProperties.Embedded settings;
    private GreenMail greenMail;

    public EmbeddedMailServer(MailProperties properties) {
        this.settings = properties.embedded();
    }

    @Override
    public void start() {
        greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(settings.smtpPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(settings.imapPort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        greenMail.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        log.info("Embedded mail server: SMTP on 127.0.0.1:{}, read mail over IMAP on 127.0.0.1:{} (user = recipient address)",
                settings.smtpPort(), settings.imapPort());
    }

    @Override
    public void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return greenMail != null && greenMail.isRunning();
    }

    @Override
    public int getPhase() {
        // Before the dispatcher starts sending.
        return Integer.MAX_VALUE - 300;
    }
}
