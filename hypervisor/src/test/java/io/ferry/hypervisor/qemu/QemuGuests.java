package io.ferry.hypervisor.qemu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** Real QEMU guests for the driver's tests: skipped, saying why, where QEMU is not installed. */
final class QemuGuests {
    static final String BINARY = "qemu-system-x86_64";

    private QemuGuests() {}

    static void assumeQemu() {
        assumeTrue(QemuHypervisor.installed(BINARY) && QemuHypervisor.installed("qemu-img"),
                "qemu-system-x86_64 and qemu-img are not installed, so the QEMU driver cannot be tried here "
                        + "(apt-get install qemu-system-x86 qemu-utils busybox-static)");
    }

    /** The test guest, built from Debian packages into ~/.cache/ferry the first time. */
    static GuestImage image() {
        return GuestImage.ensure(GuestImage.defaultDir());
    }

    /** A host whose guests rewrite {@code dirtyMb} MiB in a loop; TCG, as KVM is not usable on these machines. */
    static QemuHypervisor host(Path runDir, int dirtyMb) {
        return host(runDir, dirtyMb, false);
    }

    static QemuHypervisor host(Path runDir, int dirtyMb, boolean tls) {
        return new QemuHypervisor(new QemuHypervisor.Settings(BINARY, image(), "pc", "tcg", dirtyMb, 64, "none", runDir,
                4096, List.of("sse4_2"), "127.0.0.1", "127.0.0.1", tls), Clock.systemUTC());
    }

    /** A host that keeps its guests: closing it leaves their QEMUs running, and the next host on {@code runDir} re-adopts them. */
    static QemuHypervisor keepingHost(Path runDir, int dirtyMb) {
        return new QemuHypervisor(new QemuHypervisor.Settings(BINARY, image(), "pc", "tcg", dirtyMb, 64, "none", runDir,
                4096, List.of("sse4_2"), "127.0.0.1", "127.0.0.1", false, true), Clock.systemUTC());
    }

    /** Waits until {@code condition} holds, or fails saying what was awaited. */
    static void awaitTrue(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static VmSpec spec(Path disk, int memoryMb) {
        return new VmSpec("SERVER2", memoryMb, 1, "52:54:00:12:34:56", disk.toString(), List.of("sse4_2"));
    }

    static MigrationTicket ticket() {
        return new MigrationTicket(UUID.randomUUID().toString(), "SERVER2", "unused-by-qemu");
    }

    /** Waits until the console shows what {@code ready} wants, and returns it. */
    static SerialConsole await(Path serial, Duration timeout, Predicate<SerialConsole> ready) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            SerialConsole console = SerialConsole.read(serial);
            if (ready.test(console)) {
                return console;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting on the serial console " + serial
                        + "; it holds " + console.readyLines() + " READY and " + console.ticks().size() + " ticks");
            }
            Thread.sleep(50);
        }
    }

    static boolean ticking(SerialConsole console, int ticks) {
        return console.ticks().size() >= ticks;
    }

    /** Polls {@code condition} until it holds, failing after {@code timeout} with {@code what}. */
    static void eventually(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(20); // polling the condition
        }
    }
}
