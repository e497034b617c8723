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

    /** Takes a free lease (or keeps one this host holds) and returns it with its epoch. */
    public Lease acquire(String disk, String host) {
        return locked(disk, lease -> {
            if (lease.held() && !lease.owner().equals(host)) {
                throw new StorageLeaseException(disk + " is held by " + lease.owner() + " (epoch " + lease.epoch()
                        + "): it must release it first");
            }
            return lease.held() ? lease : new Lease(disk, host, lease.epoch() + 1);
        });
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
        try {
            return read(disk, leaseFile);
        } catch (IOException e) {
            return new Lease(disk, "?", -1); // unreadable for a moment: treat as held and look again
        }
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

    private Lease locked(String disk, UnaryOperator<Lease> change) {
        Path lockFile = directory.resolve(disk + ".lock").toAbsolutePath().normalize();
        synchronized (JVM_LOCKS.computeIfAbsent(lockFile, f -> new Object())) {
            return lockedByOs(disk, change);
        }
    }

    private Lease lockedByOs(String disk, UnaryOperator<Lease> change) {
        Path leaseFile = directory.resolve(disk + ".lease");
        try (FileChannel lockChannel = FileChannel.open(directory.resolve(disk + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockChannel.lock()) {
            Lease before = read(disk, leaseFile);
            Lease after = change.apply(before);
            if (!after.equals(before)) {
                Properties props = new Properties();
                props.setProperty("owner", after.owner());
                props.setProperty("epoch", Long.toString(after.epoch()));
                Path tmp = Files.createTempFile(directory, disk, ".tmp");
                try (var writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    props.store(writer, "ferry storage lease");
                }
                Files.move(tmp, leaseFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return after;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the lease of " + disk + " in " + directory, e);
        }
    }

    private static Lease read(String disk, Path leaseFile) throws IOException {
        if (!Files.exists(leaseFile)) {
            return new Lease(disk, "", 0);
        }
        Properties props = new Properties();
        try (var reader = Files.newBufferedReader(leaseFile, StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        return new Lease(disk, props.getProperty("owner", ""), Long.parseLong(props.getProperty("epoch", "0")));
    }
}
