package io.ferry.hypervisor.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RAM files of one host's QEMU guests, in a directory of its own on tmpfs, and the memory a guest that left had
 * touched, kept for the next to arrive. QEMU maps a guest's file shared ({@code memory-backend-file}). When its QEMU
 * exits (the guest migrated away, or a skeleton was dropped) the file is zeroed and kept, up to a limit, and the next
 * skeleton of the same size maps it instead of fresh memory: a destination writes round 1 into it at memory speed,
 * where into fresh memory it pays this machine's first-write fault on every page (~19 µs a page, ~1.2 s for 256 MB),
 * and a freed page is soon given back to the machine's own hypervisor (free page reporting) and costs that again.
 * This is stage 1's "allocates its memory", done before the request instead of inside round 1.
 * <p>
 * Names: {@code guest-NAME-SEQ.ram} in use by the QEMU called NAME; {@code zeroing-BYTES-SEQ.ram} being zeroed;
 * {@code warm-BYTES-SEQ.ram} kept. {@code agent.pid} says which agent owns the directory: one whose agent is gone is
 * removed by the next agent that starts on this machine (its guests' QEMUs keep their memory: a mapping outlives its
 * file's name).
 */
final class GuestRam implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GuestRam.class);
    static final String DIR_PREFIX = "ferry-ram-";
    private static final String OWNER = "agent.pid";
    private static final String GUEST = "guest-";
    private static final String WARM = "warm-";
    private static final String ZEROING = "zeroing-";
    /** At most this much memory kept for arrivals, and at most a quarter of what tmpfs has free. */
    static final long POOL_LIMIT_BYTES = 2L << 30;

    private final Path shm;
    private final Path dir;
    private final long poolLimitBytes;
    private final AtomicLong sequence = new AtomicLong(System.nanoTime());
    /** The files QEMUs of this agent map. */
    private final Set<Path> inUse = new HashSet<>();
    private final ExecutorService zeroing = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("guest-ram-zeroing").factory());
    private boolean closed;

    /** A file for a guest's RAM; warm when a departed guest had touched it. */
    record Claim(Path file, boolean warm) {}

    /** The directory of the agent whose QEMUs live in {@code runDir}, on /dev/shm. */
    static Path dirOf(Path shm, Path runDir) {
        String key = Integer.toHexString(runDir.toAbsolutePath().normalize().toString().hashCode());
        return shm.resolve(DIR_PREFIX + key);
    }

    static GuestRam open(Path runDir) {
        return open(Path.of("/dev/shm"), runDir, POOL_LIMIT_BYTES);
    }

    /** Takes the directory of {@code runDir}'s agent on {@code shm}, and removes those of agents that are gone. */
    static GuestRam open(Path shm, Path runDir, long poolLimitBytes) {
        GuestRam ram = new GuestRam(shm, dirOf(shm, runDir), poolLimitBytes);
        ram.sweepOthers();
        ram.own();
        return ram;
    }

    private GuestRam(Path shm, Path dir, long poolLimitBytes) {
        this.shm = shm;
        this.dir = dir;
        this.poolLimitBytes = poolLimitBytes;
    }

    Path dir() {
        return dir;
    }

    /**
     * The file QEMU {@code name} is to map as RAM of {@code bytes}: a kept one of that size, renamed for it, else a new
     * name QEMU creates. Empty when there is none to take and tmpfs lacks room for twice the guest (a guest whose tmpfs
     * fills up dies of SIGBUS on its next write to a page not yet backed): QEMU's own memory then.
     */
    synchronized Optional<Claim> claim(String name, long bytes) {
        return claim(name, bytes, false);
    }

    /** A kept file of {@code bytes} for QEMU {@code name}, renamed for it; empty when none is kept. */
    synchronized Optional<Claim> claimKept(String name, long bytes) {
        return claim(name, bytes, true);
    }

    private Optional<Claim> claim(String name, long bytes, boolean keptOnly) {
        if (closed || !Files.isDirectory(shm)) {
            return Optional.empty();
        }
        if (!Files.isDirectory(dir)) {
            own(); // an agent starting beside this one took it for a dead agent's, while this one was starting too
        }
        Path file = dir.resolve(GUEST + name + "-" + Long.toHexString(sequence.incrementAndGet()) + ".ram");
        for (Path warm : files(WARM + bytes + "-*.ram")) {
            try {
                Files.move(warm, file, StandardCopyOption.ATOMIC_MOVE);
                inUse.add(file);
                return Optional.of(new Claim(file, true));
            } catch (IOException e) {
                log.debug("could not take {}: {}", warm, e.getMessage());
            }
        }
        if (keptOnly || !QemuCommandLine.roomForTwice(shm, bytes)) {
            return Optional.empty();
        }
        inUse.add(file);
        return Optional.of(new Claim(file, false));
    }

    /** A QEMU an earlier agent started maps {@code file}: this agent keeps it when that QEMU exits. */
    synchronized void adopt(Path file) {
        if (dir.equals(file.getParent())) {
            inUse.add(file);
        }
    }

    /**
     * The QEMU that mapped {@code file} exited (only then: the file is zeroed): it is zeroed (memory it touched
     * rewrites at memory speed) and kept for the next arrival of its size, or removed when the kept ones would pass
     * the limit or this agent stops.
     *
     * @return completes true once the file is kept, false when it was not
     */
    synchronized CompletableFuture<Boolean> release(Path file) {
        if (!inUse.remove(file) || !Files.exists(file)) {
            return CompletableFuture.completedFuture(false);
        }
        if (closed) {
            delete(file);
            return CompletableFuture.completedFuture(false);
        }
        try {
            long bytes = Files.size(file);
            Path renamed = dir.resolve(ZEROING + bytes + "-" + Long.toHexString(sequence.incrementAndGet()) + ".ram");
            Files.move(file, renamed, StandardCopyOption.ATOMIC_MOVE);
            return CompletableFuture.supplyAsync(() -> keep(renamed, bytes), zeroing);
        } catch (IOException | UncheckedIOException | java.util.concurrent.RejectedExecutionException e) {
            log.debug("could not keep {}: {}", file, e.getMessage());
            delete(file);
            return CompletableFuture.completedFuture(false);
        }
    }

    private boolean keep(Path file, long bytes) {
        try {
            zero(file, bytes);
            synchronized (this) {
                if (closed || kept() + bytes > Math.min(poolLimitBytes, usable() / 4)) {
                    delete(file);
                    return false;
                }
                Files.move(file, dir.resolve(file.getFileName().toString().replace(ZEROING, WARM)),
                        StandardCopyOption.ATOMIC_MOVE);
                return true;
            }
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not keep {}: {}", file, e.getMessage());
            delete(file);
            return false;
        }
    }

    private static void zero(Path file, long bytes) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long at = 0; at < bytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
                at += channel.write(zeros, at);
            }
        }
    }

    /** Bytes kept for arrivals now. */
    synchronized long kept() {
        return files(WARM + "*.ram").stream().mapToLong(GuestRam::size).sum();
    }

    /**
     * The agent stops. The kept memory goes; so do the files of guests that stop with it. {@code guestsLiveOn}: their
     * QEMUs run on for the next agent, which adopts their files.
     */
    @Override
    public void close() {
        close(false);
    }

    void close(boolean guestsLiveOn) {
        synchronized (this) {
            closed = true;
        }
        zeroing.shutdown();
        try {
            zeroing.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (Path file : files("*.ram")) {
                String name = file.getFileName().toString();
                if (!guestsLiveOn || name.startsWith(WARM) || name.startsWith(ZEROING)) {
                    delete(file);
                }
            }
            if (!guestsLiveOn) {
                delete(dir.resolve(OWNER));
                delete(dir);
            }
        }
    }

    /** Removes every RAM file of {@code runDir}'s agent (a stack torn down: no agent is to adopt its guests). */
    static void forget(Path shm, Path runDir) {
        removeAll(dirOf(shm, runDir));
    }

    /** At start: what an earlier agent of this directory left that no QEMU of this one maps, except kept memory. */
    synchronized void forgetAllBut(Set<Path> adopted) {
        for (Path file : files("*.ram")) {
            if (!adopted.contains(file) && !file.getFileName().toString().startsWith(WARM)) {
                delete(file);
            }
        }
    }

    /** The files this agent's QEMUs map. */
    synchronized Set<Path> inUse() {
        return Set.copyOf(inUse);
    }

    /** The RAM file named on a QEMU command line ({@code mem-path=FILE}), when it is one of this directory's. */
    Optional<Path> fileOnCommandLine(List<String> arguments) {
        for (String argument : arguments) {
            for (String option : argument.split(",")) {
                if (option.startsWith("mem-path=")) {
                    Path file = Path.of(option.substring("mem-path=".length()));
                    if (dir.equals(file.getParent())) {
                        return Optional.of(file);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private void own() {
        try {
            // 0700: QEMU creates the files readable by others (0644), and they hold the guests' memory
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            ProcessHandle self = ProcessHandle.current();
            Files.writeString(dir.resolve(OWNER), self.pid() + " " + self.info().startInstant().map(i -> i.toEpochMilli())
                    .orElse(0L));
            for (Path file : files(ZEROING + "*.ram")) {
                delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the guests' RAM directory " + dir, e);
        }
    }

    /** Directories whose agent is gone: no agent will keep their memory or adopt their guests. */
    private void sweepOthers() {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(shm, DIR_PREFIX + "*")) {
            for (Path other : dirs) {
                if (!other.equals(dir) && !ownerAlive(other)) {
                    log.info("removing {}: the agent that owned it is gone", other);
                    removeAll(other);
                }
            }
        } catch (IOException e) {
            log.debug("cannot look for RAM left by earlier agents in {}: {}", shm, e.getMessage());
        }
    }

    static boolean ownerAlive(Path other) {
        try {
            String[] owner = Files.readString(other.resolve(OWNER)).strip().split(" ");
            long started = Long.parseLong(owner[1]);
            return ProcessHandle.of(Long.parseLong(owner[0])).filter(ProcessHandle::isAlive)
                    .map(p -> p.info().startInstant().map(i -> i.toEpochMilli() == started).orElse(true)).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false; // no owner file, or not ours to read: a directory left half made
        }
    }

    private static void removeAll(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var all = Files.list(directory)) {
            all.forEach(GuestRam::delete);
        } catch (IOException e) {
            log.debug("cannot list {}: {}", directory, e.getMessage());
        }
        delete(directory);
    }

    private List<Path> files(String glob) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, glob)) {
            List<Path> list = new java.util.ArrayList<>();
            found.forEach(list::add);
            list.sort(Comparator.naturalOrder());
            return list;
        } catch (IOException e) {
            return List.of();
        }
    }

    private long usable() {
        try {
            return Files.getFileStore(shm).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            log.debug("could not remove {}: {}", path, e.getMessage());
        }
    }
}
