package io.ferry.hypervisor.simulated;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory a guest that left this host had touched, zeroed and still mapped, kept for the next guest of the same size,
 * as the QEMU driver's {@code GuestRam} keeps its guests' RAM files. On this machine (itself a VM) the first access to a
 * page after it is mapped costs ~5-15 µs, the first write to fresh memory ~17-19 µs, a rewrite of a mapped page a few
 * nanoseconds: a skeleton on fresh memory receives round 1 at the fault rate, not the link's, and one on a kept mapping
 * at memory speed. This is stage 1's "allocates its memory", done before the request instead of inside round 1.
 *
 * <p>Only a guest that ran here is kept: every page of it that holds data is marked used (a writer marks the page after
 * storing it, an arrival marks each page it received), so zeroing its used pages ({@link GuestMemory#detach}) leaves no
 * byte of it behind. A skeleton that never resumed may hold a batch written without its used marks yet (an abort in
 * the middle of it), so its memory is released, not kept. Never on hugetlbfs: its pool is warm already, and a kept
 * mapping would hold pool pages another guest may need.
 *
 * <p>Files: {@code warm-BYTES-SEQ.mem} in the memory directory, so a restarted agent (whose process held the mappings)
 * deletes them with every other {@code .mem} file no guest description names ({@link GuestStore#adoptable}); a stopping
 * agent releases them.
 */
final class WarmMemory {
    private static final Logger log = LoggerFactory.getLogger(WarmMemory.class);
    private static final String WARM = "warm-";
    /** At most this much memory kept for arrivals, and at most a quarter of what its file system has free. */
    static final long LIMIT_BYTES = 2L << 30;

    private final Path dir;
    private final long limitBytes;
    /** Free bytes of the memory directory's file system (tmpfs). */
    private final java.util.function.LongSupplier usableBytes;
    private final boolean enabled;
    private final AtomicLong sequence = new AtomicLong(System.nanoTime());
    private final List<GuestMemory.Mapped> kept = new ArrayList<>();
    private boolean closed;

    WarmMemory(Path dir) {
        this(dir, LIMIT_BYTES);
    }

    WarmMemory(Path dir, long limitBytes) {
        this(dir, limitBytes, () -> usableSpace(dir));
    }

    WarmMemory(Path dir, long limitBytes, java.util.function.LongSupplier usableBytes) {
        this.dir = dir;
        this.limitBytes = limitBytes;
        this.usableBytes = usableBytes;
        this.enabled = !GuestMemory.onHugePages(dir);
    }

    /** Whether memory of guests that leave is kept here (not on hugetlbfs). */
    boolean enabled() {
        return enabled;
    }

    /**
     * Kept memory of {@code bytes}, its file moved to {@code memory} for a new guest to map with
     * {@link GuestMemory#persistentOn}; null when there is none.
     */
    synchronized GuestMemory.Mapped claim(Path memory, long bytes) {
        for (GuestMemory.Mapped mapped : List.copyOf(kept)) {
            if (mapped.bytes() != bytes) {
                continue;
            }
            kept.remove(mapped);
            try {
                mapped.moveTo(memory);
                return mapped;
            } catch (IOException e) {
                log.debug("could not take {}: {}", mapped.file(), e.getMessage());
                mapped.release();
            }
        }
        makeRoomFor(bytes);
        return null;
    }

    /**
     * A guest of {@code bytes} gets fresh memory: kept mappings go, largest first, while the file system has less than
     * twice that free. A guest whose tmpfs fills up dies of SIGBUS on its next write to a page not yet backed, and kept
     * memory is only a cache.
     */
    private void makeRoomFor(long bytes) {
        while (!kept.isEmpty() && usableBytes.getAsLong() < 2 * bytes) {
            GuestMemory.Mapped largest = kept.stream().max(java.util.Comparator.comparingLong(GuestMemory.Mapped::bytes))
                    .orElseThrow();
            kept.remove(largest);
            log.info("released {} MiB of kept guest memory: a {} MiB guest needs the room", largest.bytes() >> 20, bytes >> 20);
            largest.release();
        }
    }

    private static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return 0; // unknown: keep nothing
        }
    }

    /**
     * A guest that ran here left and its memory was detached (zeroed, still mapped): keeps it for the next guest of its
     * size, or releases it when the kept ones would pass the limit. {@code used}: its used-page bitmap's file, deleted.
     */
    void keep(GuestMemory.Mapped mapped, Path used) {
        try {
            Files.deleteIfExists(used);
            synchronized (this) {
                if (!closed && keptBytes() + mapped.bytes() <= Math.min(limitBytes, usableBytes.getAsLong() / 4)) {
                    mapped.moveTo(dir.resolve(WARM + mapped.bytes() + "-" + Long.toHexString(sequence.incrementAndGet()) + ".mem"));
                    kept.add(mapped);
                    return;
                }
            }
        } catch (IOException e) {
            log.debug("could not keep {}: {}", mapped.file(), e.getMessage());
        }
        mapped.release();
    }

    /** Bytes kept for arrivals now. */
    synchronized long keptBytes() {
        return kept.stream().mapToLong(GuestMemory.Mapped::bytes).sum();
    }

    /** The agent stops: the kept memory goes back to the host. */
    void releaseAll() {
        List<GuestMemory.Mapped> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(kept);
            kept.clear();
        }
        all.forEach(GuestMemory.Mapped::release);
    }
}
