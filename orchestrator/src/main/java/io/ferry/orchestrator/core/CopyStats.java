package io.ferry.orchestrator.core;

/** One pre-copy round as the source measured it (the figures of QEMU's query-migrate). */
public record CopyStats(int round, long pagesSent, long bytesSent, long zeroPages, long dirtyPagesRemaining,
        double dirtyRatePagesPerSec, double throughputMbps, long expectedDowntimeMs, long roundMs, long uncompressedBytes,
        int throttlePercent) {}
