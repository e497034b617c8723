package io.ferry.hypervisor.simulated;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory a guest that left this host had touched, zeroed and kept for the next guest of the same size, as the QEMU
 * driver's {@code GuestRam} keeps its guests' RAM files. The first write to a fresh page costs this machine (itself a
 * VM) ~17-19 µs, so a skeleton that faults its memory in while round 1 arrives receives at the fault rate, not the
 * link's; a page the departed guest touched rewrites at memory speed. This is stage 1's "allocates its memory", done
 * before the request instead of inside round 1.
 *
 * <p>Only a guest that ran here is kept: every page of it that holds data is marked used (a writer marks the page
 * after storing it, an arrival marks each page it received), so zeroing its used pages leaves no byte of it behind,
 * and the next guest's used bitmap starts empty. A skeleton that never resumed may hold a batch written without its
 * used marks yet (an abort in the middle of it), so its memory is deleted, not kept. Never on hugetlbfs: its pool
 * is warm already, and a kept file would hold pool pages another guest may need.
 *
 * <p>Names: {@code warm-BYTES-SEQ.mem} in the memory directory. A restarted agent deletes them with every other
 * {@code .mem} file no guest description names ({@link GuestStore#adoptable}); a stopping agent drops them.
 */
final class WarmMemory {
    private static final Logger log = LoggerFactory.getLogger(WarmMemory.class);
    private static final String WARM = "warm-";
    /** At most this much memory kept for arrivals, and at most a quarter of what its file system has free. */
    static final long LIMIT_BYTES = 2L << 30;

    private final Path dir;
    private final long limitBytes;
    private final boolean enabled;
    private final AtomicLong sequence = new AtomicLong(System.nanoTime());

    WarmMemory(Path dir) {
        this(dir, LIMIT_BYTES);
    }

    WarmMemory(Path dir, long limitBytes) {
        this.dir = dir;
        this.limitBytes = limitBytes;
        this.enabled = !GuestMemory.onHugePages(dir);
    }

    /**
     * Moves a kept file of {@code bytes} to {@code memory}, for a new guest to map; false when there is none. The
     * guest's used bitmap {@code used} is removed, so the guest starts with no page used: all of them read zero.
     */
    synchronized boolean claim(Path memory, Path used, long bytes) {
        if (!enabled) {
            return false;
        }
        for (Path warm : files(WARM + bytes + "-*.mem")) {
            try {
                Files.deleteIfExists(used);
                Files.move(warm, memory, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (IOException e) {
                log.debug("could not take {}: {}", warm, e.getMessage());
            }
        }
        return false;
    }

    /**
     * A guest that ran here left, its memory unmapped: zeroes its used pages and keeps the file for the next guest of
     * its size, or deletes it when the kept ones would pass the limit. Runs on the caller's (background) thread.
     */
    void keep(GuestMemory.Kept retired, int pages) {
        long bytes = (long) pages * GuestMemory.PAGE_SIZE;
        try {
            if (!enabled || Files.size(retired.memory()) != bytes) {
                GuestMemory.deleteFiles(retired);
                return;
            }
            zeroUsedPages(retired, pages);
            synchronized (this) {
                if (keptBytes() + bytes > Math.min(limitBytes, Files.getFileStore(dir).getUsableSpace() / 4)) {
                    GuestMemory.deleteFiles(retired);
                    return;
                }
                Files.move(retired.memory(), dir.resolve(WARM + bytes + "-" + Long.toHexString(sequence.incrementAndGet())
                        + ".mem"), StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(retired.used());
            }
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not keep {}: {}", retired.memory(), e.getMessage());
            GuestMemory.deleteFiles(retired);
        }
    }

    /** Bytes kept for arrivals now. */
    synchronized long keptBytes() {
        long sum = 0;
        for (Path file : files(WARM + "*.mem")) {
            try {
                sum += Files.size(file);
            } catch (IOException gone) {
                // claimed meanwhile
            }
        }
        return sum;
    }

    /** The agent stops: the kept memory goes back to the host. */
    synchronized void drop() {
        for (Path file : files(WARM + "*.mem")) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("could not delete kept guest memory {}: {}", file, e.getMessage());
            }
        }
    }

    /** Writes zeros over every page the used bitmap marks, in runs; pages never used are zero (or holes) already. */
    private static void zeroUsedPages(GuestMemory.Kept retired, int pages) throws IOException {
        long[] used = readBitmap(retired.used(), (pages + 63) / 64);
        ByteBuffer zeros = ByteBuffer.allocateDirect(256 * GuestMemory.PAGE_SIZE);
        try (FileChannel channel = FileChannel.open(retired.memory(), StandardOpenOption.WRITE)) {
            int page = 0;
            while ((page = nextSet(used, page, pages)) < pages) {
                int end = nextClear(used, page, pages);
                long from = (long) page * GuestMemory.PAGE_SIZE;
                long to = (long) end * GuestMemory.PAGE_SIZE;
                for (long at = from; at < to; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
                    at += channel.write(zeros, at);
                }
                page = end;
            }
        }
    }

    private static long[] readBitmap(Path file, int words) throws IOException {
        long[] bits = new long[words];
        if (!Files.exists(file)) {
            throw new IOException("no used-page bitmap " + file + ": which pages to zero is unknown");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(words * 8).order(ByteOrder.nativeOrder());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read it whole
            }
            buffer.flip();
            for (int i = 0; i < words && buffer.remaining() >= 8; i++) {
                bits[i] = buffer.getLong();
            }
        }
        return bits;
    }

    private static int nextSet(long[] bits, int from, int limit) {
        for (int page = from; page < limit; page++) {
            long word = bits[page >>> 6] >>> (page & 63);
            if (word == 0) {
                page |= 63; // the rest of this word is clear
            } else if ((word & 1) != 0) {
                return page;
            }
        }
        return limit;
    }

    private static int nextClear(long[] bits, int from, int limit) {
        int page = from;
        while (page < limit && (bits[page >>> 6] & (1L << (page & 63))) != 0) {
            page++;
        }
        return page;
    }

    private List<Path> files(String glob) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return found;
    }
}
