package io.nodelock.bulk;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bulk fulfillments run.
 *
 * @param batchSize rows fulfilled per transaction of a bulk's batch loop: larger batches cost fewer engine jobs and
 *                  commits, smaller ones show progress more often and hold the PAK line's row lock for less time
 * @param maxRows   the most rows one bulk may hold
 */
@ConfigurationProperties(prefix = "nodelock.bulk")
public record BulkProperties(@DefaultValue("100") int batchSize,
                             @DefaultValue("10000") int maxRows) {

    public BulkProperties {
        if (batchSize < 1 || batchSize > 2000) {
            throw new IllegalArgumentException("nodelock.bulk.batch-size must be 1 to 2000");
        }
        if (maxRows < 1 || maxRows > 100_000) {
            throw new IllegalArgumentException("nodelock.bulk.max-rows must be 1 to 100000");
        }
    }
}
