package io.ferry.hypervisor.qemu;

import io.ferry.hypervisor.Hypervisor.RoundStats;

/**
 * Reads QEMU's pre-copy as the rounds ferry reports. QEMU numbers its passes by dirty-bitmap syncs (MIGRATION_PASS
 * {@code pass: N} when pass N begins with sync N; the first sync marks all memory dirty), so a round ends when
 * {@code dirty-sync-count} moves on: the round just finished is {@code dirty-sync-count - 1}.
 */
public final class QemuRounds {
    private QemuRounds() {}

    /** Whether {@code now} shows a round ended since {@code start} (the sample the last round was reported at). */
    public static boolean roundEnded(QueryMigrate start, QueryMigrate now) {
        return now.dirtySyncCount() > Math.max(1, start.dirtySyncCount());
    }

    /** The round that ended at {@code end}, in the figures the simulated driver reports, counted from {@code start}. */
    public static RoundStats round(QueryMigrate start, QueryMigrate end) {
        long pages = end.pagesSent() - start.pagesSent();
        long zeroPages = end.duplicatePages() - start.duplicatePages();
        return new RoundStats(
                (int) Math.max(1, end.dirtySyncCount() - 1),
                pages,
                end.transferredBytes() - start.transferredBytes(),
                zeroPages,
                end.remainingPages(),
                end.dirtyPagesRate(),
                end.mbps(),
                tailMs(end) == Long.MAX_VALUE ? Math.max(0, end.expectedDowntimeMs()) : tailMs(end),
                Math.max(0, end.totalTimeMs() - start.totalTimeMs()),
                (end.normalPages() - start.normalPages()) * end.pageSize(),
                end.cpuThrottlePercent());
    }

    /**
     * What sending the dirty set left at a sample would take at QEMU's current rate (the better of its last 100 ms and
     * its average); Long.MAX_VALUE before anything moved. QEMU's own {@code expected-downtime} is not used: ferry holds
     * QEMU's downtime limit at 1 ms until the switchover is authorised, and QEMU reports that start value until it has
     * sampled a dirty rate, about a second in.
     */
    public static long tailMs(QueryMigrate sample) {
        double bytesPerMs = bytesPerSecond(sample) / 1_000;
        return bytesPerMs <= 0 ? Long.MAX_VALUE : (long) Math.ceil(sample.remainingBytes() / bytesPerMs);
    }

    /** QEMU's rate at a sample: the better of its last 100 ms and its average; 0 before anything moved. */
    public static double bytesPerSecond(QueryMigrate sample) {
        double average = sample.totalTimeMs() > 0 ? (double) sample.transferredBytes() * 1_000 / sample.totalTimeMs() : 0;
        return Math.max(sample.mbps() * 1_000_000 / 8, average);
    }

    /** Completed rounds at a sample: the pass under way when QEMU stopped the guest is the final copy's. */
    public static int roundsAt(QueryMigrate sample) {
        return (int) Math.max(0, sample.dirtySyncCount() - 1);
    }
}
