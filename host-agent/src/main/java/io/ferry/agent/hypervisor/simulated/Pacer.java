package io.ferry.agent.hypervisor.simulated;

import java.util.concurrent.locks.LockSupport;

/** Holds a sender to a bandwidth cap, emulating a 1 GbE or 10 GbE migration network on loopback. */
final class Pacer {
    private final double bytesPerNano;
    private final long start = System.nanoTime();
    private long sent;

    Pacer(int bandwidthMbps) {
        this.bytesPerNano = bandwidthMbps <= 0 ? 0 : bandwidthMbps * 1_000_000.0 / 8 / 1e9;
    }

    void sent(long bytes) {
        if (bytesPerNano == 0) {
            return;
        }
        sent += bytes;
        long due = start + (long) (sent / bytesPerNano);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
