package io.ferry.agent.hypervisor.simulated;

import io.ferry.agent.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.agent.hypervisor.Hypervisor.PrecopyResult;
import io.ferry.agent.hypervisor.Hypervisor.RoundStats;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Stage 2 on the source: round 1 copies every used page while the guest runs; each later round copies the pages
 * dirtied during the previous one. It stops when what remains would fit the downtime budget at the measured
 * throughput, or when the round limit is reached; the final copy sends whatever is left.
 */
final class Precopy {
    private final OutgoingMigration session;
    private final CopyPolicy policy;
    private final Consumer<RoundStats> onRound;
    private final Pacer pacer;

    Precopy(OutgoingMigration session, CopyPolicy policy, Consumer<RoundStats> onRound) {
        this.session = session;
        this.policy = policy;
        this.onRound = onRound;
        this.pacer = new Pacer(policy.bandwidthMbps());
    }

    PrecopyResult run() throws IOException {
        GuestMemory memory = session.vm.memory();
        memory.clearDirtyLog(); // dirty logging starts now; round 1 covers everything used before
        long[] toSend = memory.usedPages();
        double bytesPerSecond = 0;
        int round = 0;
        while (true) {
            round++;
            long started = System.nanoTime();
            long pagesBefore = session.pagesSent;
            long bytesBefore = session.bytesSent;
            long zeroBefore = session.zeroPages;
            session.sendPages(toSend, pacer);
            session.flush();
            long nanos = Math.max(1, System.nanoTime() - started);
            long bytes = session.bytesSent - bytesBefore;
            bytesPerSecond = bytes * 1e9 / nanos;
            long dirty = memory.dirtyCount();
            double dirtyRate = dirty * 1e9 / nanos;
            long expectedDowntimeMs = expectedMs(dirty, bytesPerSecond);
            onRound.accept(new RoundStats(round, session.pagesSent - pagesBefore, bytes, session.zeroPages - zeroBefore, dirty,
                    dirtyRate, bytesPerSecond * 8 / 1e6, expectedDowntimeMs, nanos / 1_000_000, bytes, 0));
            if (expectedDowntimeMs <= policy.maxDowntimeMs() || round >= policy.maxRounds()) {
                return new PrecopyResult(round, dirty, expectedDowntimeMs);
            }
            toSend = memory.harvestDirty();
        }
    }

    private static long expectedMs(long dirtyPages, double bytesPerSecond) {
        if (dirtyPages == 0) {
            return 0;
        }
        if (bytesPerSecond <= 0) {
            return Long.MAX_VALUE;
        }
        return (long) Math.ceil(dirtyPages * (double) GuestMemory.PAGE_SIZE * 1000 / bytesPerSecond);
    }
}
