package io.ferry.orchestrator.core;

/** How hard one migration may push: the request's options with the anchors' defaults filled in. */
public record Policy(long maxDowntimeMs, int bandwidthMbps, int maxRounds, boolean autoConverge, Compression compression) {
    /** QEMU's default downtime limit. */
    public static final long DEFAULT_MAX_DOWNTIME_MS = 300;
    /** Hyper-V R2 iterated up to 10 times. */
    public static final int DEFAULT_MAX_ROUNDS = 10;

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
    }

    public static Policy defaults() {
        return new Policy(DEFAULT_MAX_DOWNTIME_MS, 0, DEFAULT_MAX_ROUNDS, false, Compression.NONE);
    }
}
