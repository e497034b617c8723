package io.ferry.orchestrator.core;

import java.time.Duration;

/**
 * How hard one migration may push and how long it may take: the request's options with the anchors' defaults.
 *
 * @param progressTimeoutS longest time without any outcome from either host before the migration fails
 * @param completionTimeoutPerGiBS longest time per GiB of guest memory (at least one GiB) from setup to resume
 */
public record Policy(long maxDowntimeMs, int bandwidthMbps, int maxRounds, boolean autoConverge, Compression compression,
        int progressTimeoutS, int completionTimeoutPerGiBS) {
    /** QEMU's default downtime limit. */
    public static final long DEFAULT_MAX_DOWNTIME_MS = 300;
    /** Hyper-V R2 iterated up to 10 times. */
    public static final int DEFAULT_MAX_ROUNDS = 10;
    /** KubeVirt's progressTimeout. */
    public static final int DEFAULT_PROGRESS_TIMEOUT_S = 150;
    /** KubeVirt's completionTimeoutPerGiB. */
    public static final int DEFAULT_COMPLETION_TIMEOUT_PER_GIB_S = 150;

    public enum Compression { NONE, LZ4, ZSTD }

    public Policy {
        if (maxDowntimeMs < 1 || maxDowntimeMs > 60_000) {
            throw new IllegalArgumentException("maxDowntimeMs must be between 1 and 60000, got " + maxDowntimeMs);
        }
        if (bandwidthMbps < 0) {
            throw new IllegalArgumentException("bandwidthMbps must be 0 (uncapped) or positive, got " + bandwidthMbps);
        }
        if (maxRounds < 1 || maxRounds > 1000) {
            throw new IllegalArgumentException("maxRounds must be between 1 and 1000, got " + maxRounds);
        }
        if (progressTimeoutS < 1 || progressTimeoutS > 86_400) {
            throw new IllegalArgumentException("progressTimeoutS must be between 1 and 86400, got " + progressTimeoutS);
        }
        if (completionTimeoutPerGiBS < 1 || completionTimeoutPerGiBS > 86_400) {
            throw new IllegalArgumentException("completionTimeoutPerGiBS must be between 1 and 86400, got "
                    + completionTimeoutPerGiBS);
        }
    }

    public Policy(long maxDowntimeMs, int bandwidthMbps, int maxRounds, boolean autoConverge, Compression compression) {
        this(maxDowntimeMs, bandwidthMbps, maxRounds, autoConverge, compression, DEFAULT_PROGRESS_TIMEOUT_S,
                DEFAULT_COMPLETION_TIMEOUT_PER_GIB_S);
    }

    public static Policy defaults() {
        return new Policy(DEFAULT_MAX_DOWNTIME_MS, 0, DEFAULT_MAX_ROUNDS, false, Compression.NONE);
    }

    public Duration progressTimeout() {
        return Duration.ofSeconds(progressTimeoutS);
    }

    /** Scales with memory as KubeVirt's does; a guest under one GiB gets the one-GiB allowance. */
    public Duration completionTimeout(int memoryMb) {
        return Duration.ofMillis(Math.round(completionTimeoutPerGiBS * 1000.0 * Math.max(1.0, memoryMb / 1024.0)));
    }
}
