package io.ferry.bench;

import io.ferry.hypervisor.qemu.SerialConsole;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Predicate;

/** How fast ferry's QEMU test guest rewrites its memory, from its own count of dirtying passes on its serial console. */
final class GuestWriteRate {
    private static final int PAGES_PER_MIB = 256;
    private static final long TIMEOUT_SECONDS = 90;

    private GuestWriteRate() {
    }

    /**
     * Waits until the guest has made its first dirtying pass, then counts its passes over two seconds of its uptime.
     *
     * @return page writes per second of a guest rewriting {@code dirtyMb} MiB in a loop
     */
    static double pageWritesPerSec(Path console, int dirtyMb) throws InterruptedException {
        SerialConsole start = await(console, c -> c.hasTicks() && c.lastTick().passes() > 0);
        SerialConsole end = await(console, c -> c.lastTick().uptime() >= start.lastTick().uptime() + 2);
        double passesPerSec = (end.lastTick().passes() - start.lastTick().passes())
                / (end.lastTick().uptime() - start.lastTick().uptime());
        return passesPerSec * dirtyMb * PAGES_PER_MIB;
    }

    private static SerialConsole await(Path console, Predicate<SerialConsole> ready) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(TIMEOUT_SECONDS);
        while (true) {
            SerialConsole now = SerialConsole.read(console);
            if (ready.test(now)) {
                return now;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the QEMU guest did not tick as expected within " + TIMEOUT_SECONDS
                        + " s; see " + console);
            }
            Thread.sleep(100); // the guest ticks every 200 ms
        }
    }
}
