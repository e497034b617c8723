package io.ferry.bench;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.qemu.GuestImage;
import io.ferry.hypervisor.qemu.QemuCommandLine;
import io.ferry.hypervisor.qemu.QemuHypervisor;
import io.ferry.hypervisor.qemu.QemuRounds;
import io.ferry.hypervisor.qemu.QmpClient;
import io.ferry.hypervisor.qemu.QmpEvent;
import io.ferry.hypervisor.qemu.QueryMigrate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * QEMU migrating on its own, the baseline of issue 11's point 2: two QEMUs of the guest ferry's QEMU driver boots (same
 * image, command line, memory and dirty loop), driven over QMP by the bench with nothing of ferry in between. The
 * destination starts with {@code -incoming defer} and without {@code -S}, so QEMU resumes it by itself once the stream
 * has loaded. The limits are the ones ferry's QEMU driver sets for an uncapped request with its defaults.
 *
 * <p>Downtime is measured as ferry's is, guest-visible: the source's STOP event to the destination's RESUME event, both
 * QEMU's own timestamps on this host's clock. QEMU's {@code query-migrate} downtime ends when the source has written
 * the tail, before the destination loaded it and ran; it is reported beside, as is QEMU's {@code total-time}.
 */
final class QemuAlone {
    /** QEMU's own default, and ferry's default max downtime. */
    static final int DOWNTIME_LIMIT_MS = 300;
    /** What ferry's QEMU driver sets for an uncapped link (QEMU's own default would cap the stream at 128 MiB/s). */
    static final long UNCAPPED_BYTES_PER_SECOND = 1L << 40;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Duration QMP_CONNECT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private QemuAlone() {
    }

    /**
     * What one migration gave.
     *
     * @param destinationStartMs the destination QEMU's start, exec to listening for the stream, the source's guest
     *     running: what ferry's skeleton start costs, outside QEMU alone's total
     * @param migrateIssued when the bench sent {@code migrate} (this JVM's clock, the same host clock QEMU stamps with)
     * @param sourceStopped the source's STOP event
     * @param destinationResumed the destination's RESUME event
     * @param round1End the first {@code query-migrate} after pass 2 began, or null when the migration completed first
     * @param completed {@code query-migrate} on the source once completed
     */
    record Measured(long memoryBytes, int dirtyMb, double pageWritesPerSec, long destinationStartMs, Instant migrateIssued,
            Instant sourceStopped, Instant destinationResumed, QueryMigrate round1End, QueryMigrate completed) {
    }

    /**
     * The run's figures under the names {@code ferry demo --json} uses, so the table and the targets read both alike,
     * with QEMU's own figures beside them.
     */
    static ObjectNode summary(Measured m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("state", "COMPLETED");
        n.put("totalMs", Duration.between(m.migrateIssued(), m.destinationResumed()).toMillis());
        n.put("downtimeMs", Duration.between(m.sourceStopped(), m.destinationResumed()).toMillis());
        n.put("rounds", QemuRounds.roundsAt(m.completed()));
        n.put("bytesSent", m.completed().transferredBytes());
        n.put("pagesSent", m.completed().pagesSent());
        n.put("memoryBytes", m.memoryBytes());
        n.put("bandwidthMbps", 0);
        if (m.round1End() != null) {
            // as ferry's QEMU driver reports its round 1 (QemuRounds, from before migrate): setup time included
            var round1 = QemuRounds.round(QueryMigrate.NONE, m.round1End());
            n.put("precopyRound1Bytes", round1.bytesSent());
            n.put("precopyRound1Ms", round1.roundMs());
        }
        n.put("qemuTotalTimeMs", m.completed().totalTimeMs());
        n.put("qemuDowntimeMs", m.completed().downtimeMs());
        n.put("qemuSetupTimeMs", m.completed().setupTimeMs());
        n.put("qemuBytesPerSec", m.completed().totalTimeMs() > 0
                ? Math.round(m.completed().transferredBytes() * 1e3 / m.completed().totalTimeMs()) : -1);
        n.put("destinationStartMs", m.destinationStartMs());
        n.put("dirtyMb", m.dirtyMb());
        n.put("pageWritesPerSec", Math.round(m.pageWritesPerSec()));
        n.put("downtimeLimitMs", DOWNTIME_LIMIT_MS);
        return n;
    }

    /** One migration of a fresh guest between two fresh QEMUs; their output and serial consoles go to {@code logDir}. */
    static Run run(Scenario s, int attempt, GuestImage image, Path logDir) throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        String prefix = s.name() + "-" + attempt;
        // QMP sockets in a short temporary directory: a unix socket's path may not exceed 107 bytes
        Path sockets = Files.createTempDirectory("ferry-bench-qmp");
        Path disk = logDir.resolve(prefix + ".qcow2");
        List<Process> started = new CopyOnWriteArrayList<>();
        // a bench stopped with Ctrl-C must not leave a TCG guest spinning a core
        Thread reaper = new Thread(() -> started.forEach(Process::destroyForcibly));
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            Files.deleteIfExists(disk);
            createDisk(disk);
            QemuHypervisor.Settings settings = new QemuHypervisor.Settings("qemu-system-x86_64", image, "pc", "tcg",
                    s.dirtyMb(), 64, "none", sockets, 16_384, List.of(), "127.0.0.1", "127.0.0.1");
            VmSpec spec = new VmSpec("SERVER2", s.memoryMb(), Scenario.QEMU_VCPUS, "52:54:00:12:34:56", disk.toString(), List.of());
            QemuCommandLine.Files sourceFiles = files(sockets, logDir, prefix, "source");
            QemuCommandLine.Files destinationFiles = files(sockets, logDir, prefix, "destination");
            List<String> destinationCommand = new ArrayList<>(QemuCommandLine.guest(settings, spec, destinationFiles));
            destinationCommand.addAll(List.of("-incoming", "defer")); // no -S: QEMU runs the guest once it has arrived
            if (s.name().equals(Scenario.QEMU_ALONE_PREALLOC)) {
                destinationCommand.replaceAll(arg -> arg.startsWith("memory-backend-file,") ? arg + ",prealloc=on" : arg);
            }
            started.add(start(QemuCommandLine.guest(settings, spec, sourceFiles), logDir.resolve(prefix + "-source.log")));
            try (QmpClient source = QmpClient.connect(sourceFiles.qmpSocket(), "alone-source", QMP_CONNECT)) {
                double pageWritesPerSec = GuestWriteRate.pageWritesPerSec(sourceFiles.serial(), s.dirtyMb());
                // the destination starts as ferry's skeleton does, beside the running guest, and is timed to listening
                long startedAt = System.nanoTime();
                started.add(start(destinationCommand, logDir.resolve(prefix + "-destination.log")));
                try (QmpClient destination = QmpClient.connect(destinationFiles.qmpSocket(), "alone-destination", QMP_CONNECT)) {
                    String port = listen(destination);
                    long destinationStartMs = (System.nanoTime() - startedAt) / 1_000_000;
                    Measured m = migrate(source, destination, port, s.memoryMb() * (1L << 20), s.dirtyMb(), pageWritesPerSec,
                            destinationStartMs);
                    String status = destination.execute("query-status").path("status").asString("?");
                    if (!status.equals("running")) {
                        return Run.failed(s, attempt, "QEMU alone: the destination is " + status + " after its RESUME event");
                    }
                    quit(source);
                    quit(destination);
                    return new Run(s, attempt, summary(m), null);
                }
            }
        } catch (RuntimeException | TimeoutException e) {
            return Run.failed(s, attempt, "QEMU alone: " + e.getMessage() + "; QEMU's output and serial consoles are in "
                    + logDir + "/" + prefix + "-*");
        } finally {
            Runtime.getRuntime().removeShutdownHook(reaper);
            for (Process p : started) {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            Files.deleteIfExists(disk);
            try (var left = Files.list(sockets)) {
                for (Path f : left.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(sockets);
        }
    }

    /** The destination listens for the stream (events on, as the source); returns the port QEMU picked. */
    private static String listen(QmpClient destination) {
        destination.execute("migrate-set-capabilities", EVENTS);
        return destination.migrateIncoming("127.0.0.1");
    }

    private static final Map<String, Object> EVENTS = Map.of("capabilities", List.of(Map.of("capability", "events",
            "state", true)));

    /** Capabilities and limits as ferry's QEMU driver sets them (less its pause-before-switchover), then migrate. */
    private static Measured migrate(QmpClient source, QmpClient destination, String port, long memoryBytes, int dirtyMb,
            double pageWritesPerSec, long destinationStartMs) throws InterruptedException, TimeoutException {
        CompletableFuture<Instant> stopped = new CompletableFuture<>();
        CompletableFuture<Instant> resumed = new CompletableFuture<>();
        Semaphore changed = new Semaphore(0);
        source.onEvent(e -> {
            if (e.is("STOP")) {
                stopped.complete(e.at());
            }
            if (e.is("MIGRATION_PASS") || e.is("MIGRATION")) {
                changed.release(); // the reader thread may not issue commands: the poll below asks
            }
        });
        destination.onEvent((QmpEvent e) -> {
            if (e.is("RESUME")) {
                resumed.complete(e.at());
            }
        });
        source.execute("migrate-set-capabilities", EVENTS);
        source.execute("migrate-set-parameters", Map.of("downtime-limit", DOWNTIME_LIMIT_MS,
                "max-bandwidth", UNCAPPED_BYTES_PER_SECOND));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Instant issued = Instant.now();
        source.execute("migrate", Map.of("uri", "tcp:127.0.0.1:" + port));
        QueryMigrate round1End = null;
        QueryMigrate now;
        while (true) {
            changed.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
            changed.drainPermits();
            now = QueryMigrate.of(source.execute("query-migrate"));
            if (round1End == null && !now.finished() && QemuRounds.roundEnded(QueryMigrate.NONE, now)) {
                round1End = now;
            }
            switch (now.status()) {
                case "failed", "cancelled" -> throw new IllegalStateException("QEMU's migration ended " + now.status() + ": "
                        + now.errorDesc());
                default -> { }
            }
            if (now.status().equals("completed")) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("QEMU's migration was still " + now.status() + " after " + TIMEOUT.toMinutes()
                        + " minutes");
            }
        }
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        Instant resumedAt = await(resumed, left, "the destination's RESUME event");
        Instant stoppedAt = await(stopped, Duration.ofSeconds(5), "the source's STOP event");
        return new Measured(memoryBytes, dirtyMb, pageWritesPerSec, destinationStartMs, issued, stoppedAt, resumedAt,
                round1End, now);
    }

    private static Instant await(CompletableFuture<Instant> event, Duration timeout, String what)
            throws InterruptedException, TimeoutException {
        try {
            return event.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("no " + what + " within " + timeout.toMillis() + " ms of QEMU completing");
        }
    }

    private static QemuCommandLine.Files files(Path sockets, Path logDir, String prefix, String side) {
        return new QemuCommandLine.Files(logDir.resolve(prefix + "-" + side + ".serial"), sockets.resolve(side + ".qmp"),
                sockets.resolve(side + ".pid"));
    }

    private static Process start(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        return p;
    }

    /** {@code quit}, whose reply may be lost as QEMU closes the socket. */
    private static void quit(QmpClient qmp) {
        try {
            qmp.execute("quit");
        } catch (RuntimeException e) {
            // QEMU exits as it answers; the process wait in run() is what counts
        }
    }

    private static void createDisk(Path disk) throws IOException, InterruptedException {
        Process create = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "64M")
                .redirectErrorStream(true).start();
        String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
            throw new IllegalStateException("qemu-img could not create " + disk + ": " + output.strip());
        }
    }
}
