package io.ferry.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who runs a stack in a run dir ({@code ./ferry up} or {@code demo}): the launcher writes its pid and whether it is
 * running or stopping, so a second start in the same dir waits for one that is stopping (its children and
 * PostgreSQL take seconds to go) instead of failing on PostgreSQL's lock, and refuses at once, naming the pid, while
 * one still runs. Not a {@code .pid} file: {@link Child#reapStale} kills what those name.
 */
final class EarlierLauncher {
    static final String FILE = "launcher.state";
    /** How long a stopping launcher is given: its agents get 15 s each to stop, PostgreSQL a few more. */
    static final Duration STOPPING_WAIT = Duration.ofSeconds(60);

    private final Path file;

    private EarlierLauncher(Path runDir) {
        this.file = runDir.resolve(FILE);
    }

    /**
     * Waits for a launcher that is stopping in {@code runDir} to be gone; refuses when one still runs there.
     * A file left by a launcher that no longer runs (killed) says nothing and is overwritten.
     */
    static EarlierLauncher await(Path runDir, Duration stoppingWait, java.io.PrintStream out) throws TimeoutException {
        EarlierLauncher launcher = new EarlierLauncher(runDir);
        Optional<Recorded> earlier = launcher.read().filter(r -> r.pid() != ProcessHandle.current().pid());
        Optional<ProcessHandle> alive = earlier.flatMap(r -> ProcessHandle.of(r.pid())).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("ferry")); // not a reused pid
        if (alive.isEmpty()) {
            return launcher;
        }
        long pid = alive.get().pid();
        if (!earlier.get().stopping()) {
            throw new IllegalStateException("a ferry stack already runs in " + runDir + " (launcher pid " + pid
                    + "): stop it first (Ctrl-C in its terminal, or kill " + pid + ")");
        }
        out.println("  waiting for the earlier stack in " + runDir + " to finish stopping (launcher pid " + pid + ")");
        try {
            alive.get().onExit().get(stoppingWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for launcher pid " + pid + " to stop", e);
        } catch (TimeoutException e) {
            throw new TimeoutException("the earlier stack in " + runDir + " (launcher pid " + pid + ") was still stopping after "
                    + stoppingWait.toSeconds() + " s: wait for it, or kill " + pid + ", then start again");
        }
        return launcher;
    }

    /** This process now runs the stack. */
    void running() {
        write(false);
    }

    /** This process is stopping the stack: a start beside it waits for it. */
    void stopping() {
        write(true);
    }

    /** The stack is down. */
    void gone() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: a file naming a process that no longer runs is ignored
        }
    }

    private void write(boolean stopping) {
        try {
            Recorded.write(file.getParent(), ProcessHandle.current().pid(), stopping);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private Optional<Recorded> read() {
        try {
            String[] parts = Files.readString(file).strip().split(" ");
            return Optional.of(new Recorded(Long.parseLong(parts[0]), parts.length > 1 && parts[1].equals("stopping")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // none, or not ours
        }
    }

    /** What a launcher wrote: its pid, and whether it was stopping. */
    record Recorded(long pid, boolean stopping) {
        static void write(Path runDir, long pid, boolean stopping) throws IOException {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve(FILE), pid + " " + (stopping ? "stopping" : "running") + "\n");
        }
    }
}
