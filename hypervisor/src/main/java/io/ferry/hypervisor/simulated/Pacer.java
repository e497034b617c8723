package io.ferry.hypervisor.simulated;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds a sender to a bandwidth cap, emulating a 1 GbE or 10 GbE migration network on loopback. Time spent below
 * the cap (a slow sender, a pause between rounds) is not saved up: a real link cannot go faster later to make up
 * for it, so at most {@link #BURST_NANOS} of credit is kept. That credit is what a real sender's socket buffer holds:
 * the NIC drains it while the sending thread is descheduled, so a sender that wakes up late catches up without
 * the link having stood idle. 30 ms is 3.75 MB at 1 Gbit/s, within the 4 MiB Linux lets a sending socket's buffer grow
 * to (net.ipv4.tcp_wmem); with 2 ms, a sender on a busy 2-core host lost 10-25 % of a capped round to late wake-ups.
 */
final class Pacer {
    static final long BURST_NANOS = 30_000_000;
    private final double bytesPerNano;
    private long due = System.nanoTime(); // when the link is free again

    Pacer(int bandwidthMbps) {
        this.bytesPerNano = bandwidthMbps <= 0 ? 0 : bandwidthMbps * 1_000_000.0 / 8 / 1e9;
    }

    void sent(long bytes) {
        if (bytesPerNano == 0) {
            return;
        }
        long now = System.nanoTime();
        due = Math.max(due, now - BURST_NANOS) + (long) (bytes / bytesPerNano);
        long wait = due - now;
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
