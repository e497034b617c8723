package io.ferry.hypervisor.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One QEMU process and its QMP connection; its stdout and stderr go to a log file beside its socket. Held by a
 * {@link ProcessHandle}, not a {@link Process}: a QEMU started by an earlier agent is re-attached the same way.
 */
final class QemuProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QemuProcess.class);
    private final String name;
    private final ProcessHandle process;
    /** Started by this agent: its exit code is known; null for a re-attached QEMU. */
    private final Process child;
    private final QmpClient qmp;
    private final Path logFile;

    private QemuProcess(String name, ProcessHandle process, Process child, QmpClient qmp, Path logFile) {
        this.name = name;
        this.process = process;
        this.child = child;
        this.qmp = qmp;
        this.logFile = logFile;
    }

    static Path logFileOf(Path serial) {
        return serial.resolveSibling(serial.getFileName().toString().replace(".serial", ".log"));
    }

    /**
     * Re-attaches to a QEMU an earlier agent of this host started: it must still run and answer on its QMP socket.
     *
     * @throws QmpException when it does not answer within {@code timeout}
     */
    static QemuProcess attach(String name, ProcessHandle process, Path qmpSocket, Path serial, Duration timeout) {
        QmpClient qmp = QmpClient.connect(qmpSocket, name, timeout);
        log.info("re-attached to QEMU for {}, pid {}", name, process.pid());
        return new QemuProcess(name, process, null, qmp, logFileOf(serial));
    }

    /**
     * Starts QEMU and connects to its QMP socket.
     *
     * @throws QemuStartException when it does not start or exits at once (the message carries its output)
     */
    static QemuProcess start(String name, List<String> command, QemuCommandLine.Files files, Duration timeout) {
        Path logFile = logFileOf(files.serial());
        Process process;
        try {
            Files.deleteIfExists(files.qmpSocket());
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        } catch (IOException e) {
            throw new QemuStartException("cannot start " + command.getFirst() + ": " + e.getMessage()
                    + " (install it: apt-get install qemu-system-x86, or set ferry.agent.qemu.binary)", e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(files.qmpSocket())) {
            if (!process.isAlive()) {
                throw new QemuStartException("QEMU for " + name + " exited with code " + process.exitValue()
                        + " before it was ready: " + tail(logFile), null);
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new QemuStartException("QEMU for " + name + " did not open its QMP socket within "
                        + timeout.toSeconds() + " s: " + tail(logFile), null);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new QemuStartException("interrupted while starting QEMU for " + name, e);
            }
        }
        try {
            QmpClient qmp = QmpClient.connect(files.qmpSocket(), name, Duration.ofNanos(Math.max(deadline - System.nanoTime(),
                    Duration.ofSeconds(5).toNanos())));
            log.info("QEMU for {} started, pid {}", name, process.pid());
            return new QemuProcess(name, process.toHandle(), process, qmp, logFile);
        } catch (QmpException e) {
            process.destroyForcibly();
            throw new QemuStartException("QEMU for " + name + " started but its QMP socket did not answer: " + e.getMessage()
                    + "; " + tail(logFile), e);
        }
    }

    QmpClient qmp() {
        return qmp;
    }

    /** Its command line's arguments, as the system has them (for a QEMU an earlier agent started). */
    List<String> arguments() {
        return process.info().arguments().map(List::of).orElse(List.of());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    java.util.concurrent.CompletableFuture<ProcessHandle> onExit() {
        return process.onExit();
    }

    /** How it ended, for logs: its exit code when this agent started it. */
    String exitDescription() {
        return child != null && !child.isAlive() ? "exit code " + child.exitValue() : "an exit code only its parent saw";
    }

    /** Lets go of QEMU without stopping it (the agent stops; the guest runs on, and the next agent re-attaches). */
    void detach() {
        qmp.close();
    }

    /** What QEMU printed (its warnings and errors), last lines first cut: for failure messages. */
    String logTail() {
        return tail(logFile);
    }

    /** Asks QEMU to quit, and kills it when it does not within {@code grace}. */
    void quit(Duration grace) {
        if (process.isAlive() && qmp.isOpen()) {
            try {
                qmp.execute("quit", null, grace);
            } catch (QmpException e) {
                log.debug("quit of {}: {}", name, e.getMessage()); // it may close the connection before it answers
            }
        }
        if (!awaitExit(grace)) {
            log.warn("QEMU for {} (pid {}) did not quit within {} ms; killing it", name, process.pid(), grace.toMillis());
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(5));
        }
        qmp.close();
    }

    private boolean awaitExit(Duration max) {
        try {
            process.onExit().get(max.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        quit(Duration.ofSeconds(5));
    }

    private static String tail(Path logFile) {
        try {
            if (!Files.exists(logFile)) {
                return "(no output)";
            }
            List<String> lines = Files.readAllLines(logFile);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 15), lines.size());
            return tail.isEmpty() ? "(no output)" : String.join(" | ", tail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** QEMU did not start; the message says what it printed. */
    static final class QemuStartException extends RuntimeException {
        QemuStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
