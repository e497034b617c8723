package io.ferry.agent.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Stage 4: who may write a VM's disk. One lease file per disk on storage every host sees, changed under an OS file
 * lock. Each hand-over raises the epoch, and a write is accepted only with the current owner and epoch (a fencing
 * token), so a host that lost the lease cannot corrupt the disk even if it still believes it owns it.
 */
public final class StorageLeases {
    private final Path directory;

    public StorageLeases(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the shared storage directory " + directory, e);
        }
    }

    public record Lease(String disk, String owner, long epoch) {
        public boolean held() {
            return owner != null && !owner.isEmpty();
        }
    }

    public Lease current(String disk) {
        return locked(disk, lease -> lease);
    }

    /** The last switchover recorded on this disk's lease (pending, taken or refused), if any. */
    public java.util.Optional<Handoff> handoff(String disk) {
        return java.util.Optional.ofNullable(lockedState(disk, state -> state).handoff());
    }

    /**
     * The source's half of an authorised switchover, in one atomic write: it gives the lease up (epoch kept) and
     * addresses it to the destination, with what that host must check before it runs the guest (the source's
     * checksum) and the source's times for the downtime breakdown. Only {@link #takeOver} by that host for that
     * migration, or the source taking the disk back ({@link #acquire}), can follow.
     */
    public Lease handOver(String disk, String host, Handoff handoff) {
        return lockedState(disk, state -> {
            Lease lease = state.lease();
            if (lease.held() && !lease.owner().equals(host)) {
                throw new StorageLeaseException(host + " cannot hand " + disk + " over: it is held by " + lease.owner());
            }
            return new State(new Lease(disk, "", lease.epoch()), handoff.withEpoch(lease.epoch()));
        }).lease();
    }

    /**
     * The destination's half: takes the lease handed to {@code host} for {@code migrationId}, with the epoch raised.
     *
     * @throws StorageLeaseException when it was not handed here, or the source took it back first
     */
    public Lease takeOver(String disk, String host, String migrationId) {
        return lockedState(disk, state -> {
            Handoff handoff = state.handoff();
            if (handoff == null || !handoff.pendingFor(host, migrationId) || state.lease().held()
                    || state.lease().epoch() != handoff.epoch()) {
                throw new StorageLeaseException(disk + " was not handed to " + host + " for migration " + migrationId
                        + " (lease " + describe(state.lease()) + ", last handoff " + handoff + "); the source keeps it");
            }
            return new State(new Lease(disk, host, handoff.epoch() + 1), handoff.taken());
        }).lease();
    }

    /** The destination will not take the handoff (its copy differs): the source may take the disk back at once. */
    public void refuseHandoff(String disk, String host, String migrationId, String reason) {
        lockedState(disk, state -> state.handoff() != null && state.handoff().pendingFor(host, migrationId)
                ? new State(state.lease(), state.handoff().refused(reason)) : state);
    }

    /**
     * Waits until the lease is handed to {@code host} for {@code migrationId} and returns that handoff; polls the
     * shared lease every 0.2 ms, as the source's write is the destination's only signal.
     *
     * @throws StorageLeaseException when the source took the disk back, nothing came within {@code timeout}, or the
     *     wait is interrupted (an abort)
     */
    public Handoff awaitHandoff(String disk, String host, String migrationId, java.time.Duration timeout) {
        return await(disk, timeout, 200_000, "stopped waiting for " + disk + " to be handed over: the migration was aborted",
                seen -> {
                    Handoff handoff = seen.handoff();
                    if (handoff != null && handoff.pendingFor(host, migrationId) && !seen.lease().held()) {
                        return handoff;
                    }
                    if (handoff != null && handoff.migrationId().equals(migrationId) && handoff.refusal() != null) {
                        throw new StorageLeaseException(disk + " handoff for " + migrationId + " was refused: "
                                + handoff.refusal());
                    }
                    return null;
                }, seen -> disk + " was not handed to " + host + " for migration " + migrationId + " within "
                        + timeout.toSeconds() + " s (lease " + describe(seen.lease()) + "); the source keeps it");
    }

    /**
     * Polls the lease (an unlocked read: leases are replaced by atomic moves, so it sees a whole file) until {@code done}
     * returns the handoff waited for, or throws why it never will.
     *
     * @param done null: not yet
     * @param late the message when {@code timeout} passes first, from the lease last seen
     */
    private Handoff await(String disk, java.time.Duration timeout, long pollNanos, String aborted,
            java.util.function.Function<State, Handoff> done, java.util.function.Function<State, String> late) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path leaseFile = directory.resolve(disk + ".lease");
        while (true) {
            if (Thread.interrupted()) {
                throw new StorageLeaseException(aborted);
            }
            State seen = peekState(disk, leaseFile);
            Handoff handoff = done.apply(seen);
            if (handoff != null) {
                return handoff;
            }
            if (System.nanoTime() > deadline) {
                throw new StorageLeaseException(late.apply(seen));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pollNanos);
        }
    }

    /**
     * The destination runs the guest it took over for {@code migrationId}: recorded on the handoff, so the source may
     * drop its paused copy without waiting for the orchestrator to hear of the resume.
     */
    public void markResumed(String disk, String host, String migrationId) {
        lockedState(disk, state -> {
            Handoff handoff = state.handoff();
            if (handoff == null || handoff.state() != Handoff.State.TAKEN || !handoff.migrationId().equals(migrationId)
                    || !handoff.to().equals(host) || !host.equals(state.lease().owner())) {
                throw new StorageLeaseException(host + " cannot mark " + disk + " resumed for migration " + migrationId
                        + ": lease " + describe(state.lease()) + ", last handoff " + handoff);
            }
            return new State(state.lease(), handoff.resumed());
        });
    }

    /**
     * The source's wait before it drops its paused copy: returns once the destination marked the handoff of
     * {@code migrationId} resumed. Polls the shared lease every millisecond.
     *
     * @throws StorageLeaseException when the handoff was refused or taken back, the lease records another switchover,
     *     nothing came within {@code timeout}, or the wait is interrupted (an abort)
     */
    public Handoff awaitResumed(String disk, String migrationId, java.time.Duration timeout) {
        return await(disk, timeout, 1_000_000, "stopped waiting for the destination to resume " + disk
                + ": the migration was aborted", seen -> {
                    Handoff handoff = seen.handoff();
                    if (seen.lease().epoch() < 0) {
                        return null; // unreadable for a moment: look again
                    }
                    if (handoff == null || !handoff.migrationId().equals(migrationId)) {
                        throw new StorageLeaseException("the lease of " + disk + " records no switchover of migration "
                                + migrationId + " (last handoff " + handoff + "): the source keeps its copy");
                    }
                    if (handoff.state() == Handoff.State.REFUSED) {
                        throw new StorageLeaseException("the destination " + handoff.to() + " did not take " + disk
                                + " over for " + migrationId + " (" + handoff.refusal() + "): the source keeps its copy");
                    }
                    return handoff.state() == Handoff.State.RESUMED ? handoff : null;
                }, seen -> "the destination " + (seen.handoff() == null ? "?" : seen.handoff().to()) + " had not resumed "
                        + disk + " for migration " + migrationId + " within " + timeout.toSeconds() + " s (lease "
                        + describe(seen.lease()) + "); the source keeps its paused copy");
    }

    private static String describe(Lease lease) {
        return lease.held() ? lease.owner() + "@" + lease.epoch() : "free@" + lease.epoch();
    }

    /**
     * Takes a free lease (or keeps one this host holds) and returns it with its epoch. A handoff still pending is
     * withdrawn with it: the destination's {@link #takeOver} then fails, so only one of the two hosts gets the disk.
     */
    public Lease acquire(String disk, String host) {
        return lockedState(disk, state -> {
            Lease lease = state.lease();
            if (lease.held() && !lease.owner().equals(host)) {
                throw new StorageLeaseException(disk + " is held by " + lease.owner() + " (epoch " + lease.epoch()
                        + "): it must release it first");
            }
            if (lease.held()) {
                return state;
            }
            Handoff handoff = state.handoff();
            return new State(new Lease(disk, host, lease.epoch() + 1),
                    handoff != null && handoff.pending() ? handoff.refused("taken back by " + host) : handoff);
        }).lease();
    }

    /**
     * Takes the lease as soon as its holder lets it go: the destination's half of the switchover, which runs while
     * the source finishes its final copy and releases. Polls the shared lease every millisecond.
     *
     * @throws StorageLeaseException when it is not free within {@code timeout} or the wait is interrupted (an abort)
     */
    public Lease acquireWhenFree(String disk, String host, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path leaseFile = directory.resolve(disk + ".lease");
        while (true) {
            if (Thread.interrupted()) {
                throw new StorageLeaseException("stopped waiting for " + disk + ": the migration was aborted");
            }
            // An unlocked read (leases are replaced by atomic moves, so it sees a whole file) keeps the poll cheap;
            // the OS lock is taken only when the lease looks free.
            Lease seen = peek(disk, leaseFile);
            if (!seen.held() || seen.owner().equals(host)) {
                try {
                    return acquire(disk, host);
                } catch (StorageLeaseException raced) {
                    seen = current(disk); // another host took it between the read and the lock: keep waiting
                }
            }
            if (System.nanoTime() > deadline) {
                throw new StorageLeaseException(disk + " is still held by " + seen.owner() + " (epoch " + seen.epoch()
                        + ") after " + timeout.toSeconds() + " s; it must release it first");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    private static Lease peek(String disk, Path leaseFile) {
        return peekState(disk, leaseFile).lease(); // unreadable for a moment: treated as held, looked at again
    }

    /** Gives the lease up; the epoch stays, so the next owner's is higher. */
    public Lease release(String disk, String host) {
        return locked(disk, lease -> {
            if (lease.held() && !lease.owner().equals(host)) {
                throw new StorageLeaseException(host + " cannot release " + disk + ": it is held by " + lease.owner());
            }
            return new Lease(disk, "", lease.epoch());
        });
    }

    /** A guest write to the disk, fenced: it must come from the current owner with the current epoch. */
    public void write(String disk, String host, long epoch, byte[] data) {
        locked(disk, lease -> {
            if (!host.equals(lease.owner()) || epoch != lease.epoch()) {
                throw new StorageLeaseException("write to " + disk + " by " + host + " with epoch " + epoch
                        + " rejected: the lease is " + (lease.held() ? lease.owner() + "@" + lease.epoch() : "free")
                        + " (stale owner fenced)");
            }
            try {
                Files.write(directory.resolve(disk + ".data"), data, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return lease;
        });
    }

    /**
     * The OS file lock excludes other processes; this excludes other threads and other StorageLeases in this JVM
     * (the OS lock is per process, and Java refuses a second overlapping lock in one JVM).
     */
    private static final java.util.concurrent.ConcurrentHashMap<Path, Object> JVM_LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A lease file's whole content: who holds the disk, and the last switchover that handed it on. */
    private record State(Lease lease, Handoff handoff) {}

    private Lease locked(String disk, UnaryOperator<Lease> change) {
        return lockedState(disk, state -> new State(change.apply(state.lease()), state.handoff())).lease();
    }

    private State lockedState(String disk, UnaryOperator<State> change) {
        Path lockFile = directory.resolve(disk + ".lock").toAbsolutePath().normalize();
        synchronized (JVM_LOCKS.computeIfAbsent(lockFile, f -> new Object())) {
            return lockedByOs(disk, change);
        }
    }

    private State lockedByOs(String disk, UnaryOperator<State> change) {
        Path leaseFile = directory.resolve(disk + ".lease");
        try (FileChannel lockChannel = FileChannel.open(directory.resolve(disk + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockChannel.lock()) {
            State before = read(disk, leaseFile);
            State after = change.apply(before);
            if (!after.equals(before)) {
                Properties props = new Properties();
                props.setProperty("owner", after.lease().owner());
                props.setProperty("epoch", Long.toString(after.lease().epoch()));
                if (after.handoff() != null) {
                    after.handoff().store(props);
                }
                // A fixed name is safe under the lock, and Properties.store is not used: its date comment and a
                // random temp name cost milliseconds on first use, and a handoff is written inside the blackout.
                Path tmp = directory.resolve(disk + ".lease.tmp");
                Files.writeString(tmp, text(props), StandardCharsets.UTF_8);
                Files.move(tmp, leaseFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return after;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the lease of " + disk + " in " + directory, e);
        }
    }

    /** The lease file's text: one {@code key=value} line per property, escaped as {@link Properties#load} reads it. */
    private static String text(Properties props) {
        StringBuilder out = new StringBuilder("# ferry storage lease\n");
        for (String key : new java.util.TreeSet<>(props.stringPropertyNames())) {
            out.append(key).append('=');
            for (char c : props.getProperty(key).toCharArray()) {
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(c);
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static State read(String disk, Path leaseFile) throws IOException {
        if (!Files.exists(leaseFile)) {
            return new State(new Lease(disk, "", 0), null);
        }
        Properties props = new Properties();
        try (var reader = Files.newBufferedReader(leaseFile, StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        return new State(new Lease(disk, props.getProperty("owner", ""), Long.parseLong(props.getProperty("epoch", "0"))),
                Handoff.load(props));
    }

    private static State peekState(String disk, Path leaseFile) {
        try {
            return read(disk, leaseFile);
        } catch (IOException | RuntimeException e) {
            return new State(new Lease(disk, "?", -1), null); // unreadable for a moment: look again
        }
    }
}
