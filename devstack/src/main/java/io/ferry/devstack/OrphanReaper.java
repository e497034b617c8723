package io.ferry.devstack;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * zonky starts postgres through {@code pg_ctl}, so the postmaster is not our child and outlives a
 * {@code kill -9} of the JVM, keeping the port and the data dir locked. Before starting on a data dir we
 * find such a leftover through our pid file and PostgreSQL's own postmaster.pid, and stop it.
 */
final class OrphanReaper {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);
    private static final long GRACE_SECONDS = 5;

    private OrphanReaper() {
    }

    /**
     * Stops a postgres left behind on pgData by a JVM that no longer exists. Refuses (with an explanation)
     * when the JVM that started it is still alive, because that server is in use, not orphaned.
     */
    static void reap(Path dataDir, Path pgData) {
        Optional<PostgresPidFile> recorded = PostgresPidFile.read(dataDir);
        if (recorded.isPresent()) {
            refuseIfOwnerAlive(dataDir, recorded.get());
        }
        Set<Long> candidates = new LinkedHashSet<>();
        recorded.ifPresent(file -> candidates.add(file.postgresPid()));
        PostgresPidFile.postmasterPid(pgData).ifPresent(candidates::add);
        for (long pid : candidates) {
            ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(process -> isPostgresServing(process, pgData))
                    .ifPresent(process -> terminate(process, pgData));
        }
    }

    private static void refuseIfOwnerAlive(Path dataDir, PostgresPidFile recorded) {
        long self = ProcessHandle.current().pid();
        if (recorded.ownerPid() == self && isAlive(recorded.postgresPid())) {
            throw new DevstackException("embedded PostgreSQL for " + dataDir + " is already running in this JVM (pid "
                    + recorded.postgresPid() + ", port " + recorded.port()
                    + "); close the previous DatabaseHandle before starting it again");
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(recorded.ownerPid()).filter(ProcessHandle::isAlive);
        if (recorded.ownerPid() != self && owner.isPresent() && isJava(owner.get()) && isAlive(recorded.postgresPid())) {
            throw new DevstackException("embedded PostgreSQL for " + dataDir + " belongs to a running process (pid "
                    + recorded.ownerPid() + ", postgres pid " + recorded.postgresPid() + ", port " + recorded.port()
                    + "); stop that process first (e.g. ./ferry down), or use another data dir");
        }
    }

    /** Guards against pid reuse: only a postgres binary whose arguments name this data dir qualifies. */
    private static boolean isPostgresServing(ProcessHandle process, Path pgData) {
        ProcessHandle.Info info = process.info();
        boolean isPostgres = info.command().map(command -> Path.of(command).getFileName().toString())
                .map(name -> name.equals("postgres") || name.equals("postmaster"))
                .orElse(false);
        if (!isPostgres) {
            return false;
        }
        // Arguments are visible for our own user's processes on Linux; if they are not, the pid sources
        // (our pid file, the data dir's own postmaster.pid) are trusted.
        return info.arguments()
                .map(args -> List.of(args).contains(pgData.toAbsolutePath().toString()))
                .orElse(true);
    }

    /** SIGTERM first (a clean shutdown keeps the data dir consistent), SIGKILL for the whole family if it hangs. */
    private static void terminate(ProcessHandle postmaster, Path pgData) {
        LOG.warn("stopping orphaned PostgreSQL (pid {}) left on {} by a previous run whose JVM is gone",
                postmaster.pid(), pgData);
        // Remember the backends now: once the postmaster dies they are re-parented and no longer its descendants.
        List<ProcessHandle> family = postmaster.descendants().toList();
        postmaster.destroy();
        if (awaitExit(postmaster)) {
            return;
        }
        LOG.warn("orphaned PostgreSQL (pid {}) ignored SIGTERM for {} s; killing it and its {} child processes",
                postmaster.pid(), GRACE_SECONDS, family.size());
        postmaster.destroyForcibly();
        family.forEach(ProcessHandle::destroyForcibly);
        if (!awaitExit(postmaster)) {
            throw new DevstackException("could not stop orphaned PostgreSQL (pid " + postmaster.pid() + ") on " + pgData
                    + "; kill it by hand (kill -9 " + postmaster.pid() + ") and retry");
        }
        family.forEach(OrphanReaper::awaitExit);
    }

    private static boolean awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted while stopping orphaned PostgreSQL pid " + process.pid(), e);
        }
    }

    static boolean isAlive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean isJava(ProcessHandle process) {
        // Unknown command (no permission to look): assume it may be a live owner and refuse rather than kill.
        return process.info().command()
                .map(command -> Path.of(command).getFileName().toString().startsWith("java"))
                .orElse(true);
    }
}
