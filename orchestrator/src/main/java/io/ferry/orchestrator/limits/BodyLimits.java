package io.ferry.orchestrator.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The largest request bodies the REST API reads.
 *
 * @param maxBodySize any request but a replay upload (a migration request is well under 1 KB)
 * @param maxReplayBodySize a migration export sent to POST /api/replay
 */
@ConfigurationProperties("ferry.orchestrator")
public record BodyLimits(
        @DefaultValue("64KB") DataSize maxBodySize,
        @DefaultValue("1MB") DataSize maxReplayBodySize) {
    public BodyLimits {
        if (maxBodySize.toBytes() < 1 || maxReplayBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("ferry.orchestrator.max-body-size and max-replay-body-size must be "
                    + "positive, got " + maxBodySize + " and " + maxReplayBodySize);
        }
    }
}
