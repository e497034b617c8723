package io.ferry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One app of the stack (the orchestrator or a host agent) as its own JVM, started from its runnable jar with its
 * own log file, so that a test can kill it with SIGKILL, stop it, or start it again with the same arguments. Each
 * start writes a new log, {@code <name>.log}, then {@code <name>.2.log}, ..., and a pid file the next run reaps
 * should this JVM itself be killed before it could clean up.
 */
final class AppProcess {
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseZGC", "-XX:TieredStopAtLevel=1");

    final String name;
    private final Path jar;
    /** What the JVM is started under, e.g. {@code ip netns exec NS} (which execs it, so the pid is the JVM's). */
    private final List<String> prefix;
    private List<String> args;
    private final Path runDir;
    private Process process;
    private Path log;
    private int starts;

    private AppProcess(String name, Path jar, List<String> prefix, List<String> args, Path runDir) {
        this.name = name;
        this.jar = jar;
        this.prefix = List.copyOf(prefix);
        this.args = List.copyOf(args);
        this.runDir = runDir;
    }

    static AppProcess start(String name, Path jar, List<String> args, Path runDir) {
        return start(name, jar, List.of(), args, runDir);
    }

    /** Starts the app's JVM under {@code prefix} (a command that execs the rest, such as ip netns exec NS). */
    static AppProcess start(String name, Path jar, List<String> prefix, List<String> args, Path runDir) {
        AppProcess app = new AppProcess(name, jar, prefix, args, runDir);
        app.start();
        return app;
    }

    /** Starts the app again with the arguments it was first started with (it must not be running). */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is still running (pid " + process.pid() + ")");
        }
        starts++;
        log = runDir.resolve("logs").resolve(starts == 1 ? name + ".log" : name + "." + starts + ".log");
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElse("java")); // the JVM running the tests
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "# " + Instant.now() + " " + String.join(" ", command) + "\n");
            process = new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            Files.writeString(pidFile(), Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " from " + jar, e);
        }
    }

    /** The arguments the next {@link #start()} passes (a host agent restarts without the guests it booted at first). */
    synchronized void arguments(java.util.function.UnaryOperator<List<String>> change) {
        args = List.copyOf(change.apply(args));
    }

    /** SIGKILL, as a crash or an OOM killer would: no shutdown hook runs, no consumer group is left cleanly. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(process, 10);
        note("killed with SIGKILL");
    }

    /** SIGTERM, then SIGKILL if it has not stopped within the grace period. */
    synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(process, 15)) {
            process.destroyForcibly();
            awaitExit(process, 10);
        }
        note("stopped");
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    synchronized Path log() {
        return log;
    }

    /** Why the app is gone, for a failure message, or null while it runs. */
    synchronized String exitDescription() {
        if (process == null || process.isAlive()) {
            return null;
        }
        return name + " (pid " + process.pid() + ") exited with code " + process.exitValue() + "; see " + log;
    }

    private Path pidFile() {
        return runDir.resolve(name + ".pid");
    }

    private void note(String what) {
        try {
            Files.deleteIfExists(pidFile());
            Files.writeString(log, "# " + Instant.now() + " " + what + " by the system test\n", StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // only a note in the log
        }
    }

    private static boolean awaitExit(Process process, int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    /**
     * Kills the apps an earlier run in {@code runDir} left behind (its JVM was killed before it could stop them):
     * only a process that the pid file names and whose command line runs a jar from this build.
     */
    static void reapLeftovers(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (var files = Files.list(runDir)) {
            for (Path pidFile : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                try {
                    long pid = Long.parseLong(Files.readString(pidFile).strip());
                    ProcessHandle.of(pid)
                            .filter(p -> p.info().commandLine().orElse("").contains("-exec.jar"))
                            .ifPresent(p -> {
                                System.err.println("killing " + pidFile.getFileName() + " (pid " + pid
                                        + ") left over from an earlier run");
                                p.destroyForcibly();
                            });
                } catch (NumberFormatException ignored) {
                    // not one of our pid files
                }
                Files.deleteIfExists(pidFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not look for leftovers in " + runDir, e);
        }
    }
}
