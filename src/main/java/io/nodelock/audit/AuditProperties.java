package io.nodelock.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param checkpointInterval how often the chain's end is anchored by a checkpoint signed with the service key (only
 *                           when entries were appended since the last one); entries after the last checkpoint are
 *                           protected by the chain alone, so this bounds what a database administrator could rewrite
 *                           without the verification noticing
 */
@ConfigurationProperties(prefix = "nodelock.audit")
public record AuditProperties(@DefaultValue("1h") Duration checkpointInterval) {
}
