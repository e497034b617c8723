package io.ferry.hypervisor.qemu;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * One guest on this host: its QEMU, what it is doing (kept from QEMU's STOP and RESUME events, so a heartbeat never
 * waits on QMP) and a signal that wakes whoever waits for QEMU to move on.
 */
final class QemuVm implements DiskHandoff.Qemu {
    final VmSpec spec;
    /** Its files' base name in the run directory: the vmId, or VM-in-ID for a guest that arrived as a skeleton. */
    final String name;
    final QemuProcess process;
    final Path serialLog;
    final Signal changes = new Signal();
    private volatile VmState state;
    private volatile Instant stoppedAt;
    /** The migration that brought the guest here once it resumed here (null: booted here, or not arrived yet). */
    private volatile String arrivedBy;

    QemuVm(VmSpec spec, String name, QemuProcess process, Path serialLog, VmState initial) {
        this.spec = spec;
        this.name = name;
        this.process = process;
        this.serialLog = serialLog;
        this.state = initial;
        process.qmp().onEvent(event -> {
            switch (event.name()) {
                case "STOP" -> {
                    stoppedAt = event.at();
                    if (state == VmState.RUNNING) {
                        state = VmState.PAUSED;
                    }
                }
                case "RESUME" -> state = VmState.RUNNING;
                default -> { }
            }
            changes.signal();
        });
        process.qmp().closed().thenRun(changes::signal);
        process.onExit().thenRun(changes::signal);
    }

    VmState state() {
        return state;
    }

    String arrivedBy() {
        return arrivedBy;
    }

    /** The guest resumed here for {@code migrationId}: kept in its description so a restarted agent knows it too. */
    void arrived(String migrationId) {
        this.arrivedBy = migrationId;
    }

    /** When QEMU last stopped the guest (its STOP event), e.g. to pause it for the switchover. */
    Instant stoppedAt() {
        return stoppedAt;
    }

    QmpClient qmp() {
        return process.qmp();
    }

    boolean alive() {
        return process.isAlive() && process.qmp().isOpen();
    }

    @Override
    public long version() {
        return changes.version();
    }

    @Override
    public void awaitAfter(long seen, Duration max) throws InterruptedException {
        changes.awaitAfter(seen, max);
    }

    /** QEMU's run state: running, paused, inmigrate, postmigrate, finish-migrate, ... */
    @Override
    public String runState() {
        return qmp().execute("query-status").path("status").asString("unknown");
    }

    QueryMigrate queryMigrate() {
        return QueryMigrate.of(qmp().execute("query-migrate"));
    }

    /** Runs the guest; QEMU activates its disk image (takes the image's write lock) first. */
    void cont() {
        qmp().execute("cont");
        state = VmState.RUNNING;
    }

    /**
     * A digest of every vCPU's registers, read while the guest is paused: the source's after its final copy and the
     * destination's before it runs must be equal, or the device state did not arrive as it left.
     */
    String cpuStateDigest() {
        return digest(qmp().execute("human-monitor-command", Map.of("command-line", "info registers -a")).asString(""));
    }

    /** The digest of QEMU's register dump, as {@link #cpuStateDigest} states it. */
    static String digest(String registers) {
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(registers.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            return "qemu-cpu-sha256:" + HexFormat.of().formatHex(sha, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void markPaused() {
        state = VmState.PAUSED;
    }

    void quit(Duration grace) {
        process.quit(grace);
    }

    /** A counter bumped on every QEMU event: wait on it instead of polling blind, without missing a wake-up. */
    static final class Signal {
        private long version;

        synchronized long version() {
            return version;
        }

        synchronized void signal() {
            version++;
            notifyAll();
        }

        /** Waits until something happened since {@code seen}, or {@code timeout} passed. */
        synchronized void awaitAfter(long seen, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (version == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
