package io.ferry.systemtests;

import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL of the test's own (embedded, in its run directory), so that it can be paused: SIGSTOP to the
 * postmaster and every backend freezes the database as a stalled VM or disk would, with every connection left open
 * and unanswered, until SIGCONT. Never the machine's shared PostgreSQL, which other tests use.
 */
final class PausableDatabase {
    private final Path pgData;
    private final Path pidNote;
    private List<Long> paused = List.of();

    private PausableDatabase(Path dir, Path pidNote) {
        this.pgData = dir.resolve("pgdata");
        this.pidNote = pidNote;
    }

    /**
     * Starts an embedded PostgreSQL with its cluster in {@code dir}, after killing a postmaster a killed run left
     * there (noted in {@code pidNote}, outside the directory the stack deletes), perhaps still SIGSTOPped.
     */
    static PausableDatabase in(Path dir, Path pidNote) {
        reap(pidNote);
        return new PausableDatabase(dir, pidNote);
    }

    DatabaseHandle start() {
        DatabaseHandle handle = Databases.embedded(pgData.getParent(), 0);
        try {
            Files.writeString(pidNote, Long.toString(postmaster()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return handle;
    }

    /** SIGSTOP to the postmaster and all its processes. */
    synchronized void pause() {
        long postmaster = postmaster();
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        signal("STOP", pids);
        paused = pids;
    }

    /** SIGCONT to what {@link #pause()} stopped. */
    synchronized void resume() {
        if (!paused.isEmpty()) {
            signal("CONT", paused);
            paused = List.of();
        }
    }

    private long postmaster() {
        try {
            return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).getFirst().strip());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the postmaster's pid from " + pgData.resolve("postmaster.pid")
                    + ": " + e.getMessage(), e);
        }
    }

    private static void signal(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        HostNamespaces.run(command); // a backend that exited meanwhile is no error
    }

    private static void reap(Path pidNote) {
        try {
            if (Files.exists(pidNote)) {
                long pid = Long.parseLong(Files.readString(pidNote).strip());
                ProcessHandle.of(pid).filter(p -> p.info().command().orElse("").contains("postgres")).ifPresent(p -> {
                    List<Long> all = new ArrayList<>(List.of(pid));
                    p.descendants().forEach(d -> all.add(d.pid()));
                    signal("CONT", all);
                    signal("KILL", all);
                });
                Files.delete(pidNote);
            }
        } catch (IOException | NumberFormatException e) {
            // not ours
        }
    }
}
