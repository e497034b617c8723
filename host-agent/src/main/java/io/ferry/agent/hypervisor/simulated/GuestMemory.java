package io.ferry.agent.hypervisor.simulated;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32C;

/**
 * A guest's RAM: off-heap, in 4 KiB pages, with two bitmaps. {@code dirty} is the dirty log the pre-copy harvests;
 * {@code used} marks pages the guest ever wrote, since only utilised pages are copied. A writer stores the page
 * first and sets its dirty bit after, so a harvest that clears the bit either sees the new data or the bit is set
 * again: no write is lost between harvest and send.
 */
public final class GuestMemory implements AutoCloseable {
    public static final int PAGE_SIZE = 4096;
    private static final int PAGES_PER_CHUNK = 16_384; // 64 MiB direct buffers: no single buffer near the 2 GiB limit

    private final int pages;
    private final ByteBuffer[] chunks;
    private final AtomicLongArray dirty;
    private final AtomicLongArray used;

    public GuestMemory(int memoryMb) {
        this.pages = Math.multiplyExact(memoryMb, 256);
        int chunkCount = (pages + PAGES_PER_CHUNK - 1) / PAGES_PER_CHUNK;
        this.chunks = new ByteBuffer[chunkCount];
        for (int i = 0; i < chunkCount; i++) {
            int chunkPages = Math.min(PAGES_PER_CHUNK, pages - i * PAGES_PER_CHUNK);
            chunks[i] = ByteBuffer.allocateDirect(chunkPages * PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        }
        this.dirty = new AtomicLongArray((pages + 63) / 64);
        this.used = new AtomicLongArray((pages + 63) / 64);
    }

    public int pages() {
        return pages;
    }

    /** A guest write: the whole page. */
    public void write(int page, byte[] data) {
        chunk(page).put(offset(page), data, 0, PAGE_SIZE);
        mark(used, page);
        mark(dirty, page);
    }

    /** A guest write of one long inside a page, as a running workload does. */
    public void writeLong(int page, int slot, long value) {
        chunk(page).putLong(offset(page) + (slot & 511) * 8, value);
        mark(used, page);
        mark(dirty, page);
    }

    /** Incoming migration data: not a guest write, so no dirty tracking. */
    public void load(int page, byte[] data, int from) {
        chunk(page).put(offset(page), data, from, PAGE_SIZE);
        mark(used, page);
    }

    public void loadZero(int page) {
        ByteBuffer chunk = chunk(page);
        int base = offset(page);
        for (int i = 0; i < PAGE_SIZE; i += 8) {
            chunk.putLong(base + i, 0L);
        }
        mark(used, page);
    }

    public void read(int page, byte[] into, int at) {
        chunk(page).get(offset(page), into, at, PAGE_SIZE);
    }

    public boolean isZero(int page) {
        ByteBuffer chunk = chunk(page);
        int base = offset(page);
        for (int i = 0; i < PAGE_SIZE; i += 8) {
            if (chunk.getLong(base + i) != 0L) {
                return false;
            }
        }
        return true;
    }

    /** Starts dirty logging afresh: whatever was dirty before is covered by a full copy of the used pages. */
    public void clearDirtyLog() {
        for (int i = 0; i < dirty.length(); i++) {
            dirty.set(i, 0L);
        }
    }

    public long dirtyCount() {
        return count(dirty);
    }

    public long usedCount() {
        return count(used);
    }

    /** Atomically takes the dirty log: each word is read and cleared in one step. */
    public long[] harvestDirty() {
        long[] words = new long[dirty.length()];
        for (int i = 0; i < words.length; i++) {
            words[i] = dirty.getAndSet(i, 0L);
        }
        return words;
    }

    public long[] usedPages() {
        long[] words = new long[used.length()];
        for (int i = 0; i < words.length; i++) {
            words[i] = used.get(i);
        }
        return words;
    }

    /** CRC32C of every page, in page order: the page-for-page fingerprint of this memory. */
    public int[] pageChecksums() {
        int[] sums = new int[pages];
        CRC32C crc = new CRC32C();
        for (int page = 0; page < pages; page++) {
            crc.reset();
            crc.update(chunk(page).slice(offset(page), PAGE_SIZE));
            sums[page] = (int) crc.getValue();
        }
        return sums;
    }

    /** SHA-256 over the page checksums and the device state: equal memory and state, equal digest. */
    public static String digest(int[] pageChecksums, byte[] deviceState) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(pageChecksums.length * 4);
            buffer.asIntBuffer().put(pageChecksums);
            sha.update(buffer.array());
            sha.update(deviceState);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        // Direct buffers are freed when collected; dropping references lets a 1 GiB guest go promptly.
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = null;
        }
    }

    private ByteBuffer chunk(int page) {
        if (page < 0 || page >= pages) {
            throw new IndexOutOfBoundsException("page " + page + " outside guest memory of " + pages + " pages");
        }
        return chunks[page / PAGES_PER_CHUNK];
    }

    private static int offset(int page) {
        return (page % PAGES_PER_CHUNK) * PAGE_SIZE;
    }

    private static void mark(AtomicLongArray bitmap, int page) {
        int word = page >>> 6;
        long bit = 1L << (page & 63);
        long old;
        do {
            old = bitmap.get(word);
            if ((old & bit) != 0) {
                return;
            }
        } while (!bitmap.compareAndSet(word, old, old | bit));
    }

    private static long count(AtomicLongArray bitmap) {
        long n = 0;
        for (int i = 0; i < bitmap.length(); i++) {
            n += Long.bitCount(bitmap.get(i));
        }
        return n;
    }
}
