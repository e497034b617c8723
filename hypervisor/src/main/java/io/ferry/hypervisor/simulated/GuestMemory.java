package io.ferry.hypervisor.simulated;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32C;

/**
 * A guest's RAM: off-heap, in 4 KiB pages, with two bitmaps. {@code dirty} is the dirty log the pre-copy harvests;
 * {@code used} marks pages the guest ever wrote, since only utilised pages are copied. A writer stores the page
 * first, then marks it used, then sets its dirty bit with a volatile write (see {@link #logDirty}), so a harvest
 * that clears the bit either sees the new data or the bit is set again: no write is lost between harvest and send.
 *
 * <p>Backing: a file in a memory directory ({@code /dev/shm} by default, else {@code java.io.tmpdir}) mapped
 * READ_WRITE in 64 MiB chunks and unlinked right after mapping, as a memfd would be. Nothing is zeroed up front:
 * the kernel gives the guest a page when it first writes it, so a skeleton of any size is created in milliseconds
 * and a guest that used 60 % of its memory holds about 60 % of it. A page that was never used is all zeros, so it
 * is read, checked and checksummed without touching the mapping (reading a hole of a tmpfs mapping would allocate
 * it), and an incoming zero page that lands on such a page costs nothing.
 *
 * <p>Release: a plain {@code MappedByteBuffer} is unmapped only when the garbage collector finds it unreachable,
 * which in a quiet agent can take minutes while a migrated-away 1 GiB guest still holds its RAM. So on a runtime
 * with the foreign-memory API (Java 22+, which ferry runs on) the chunks are mapped into a shared {@code Arena}
 * and {@link #close()} closes it: the memory is returned at once, and a thread that touches the guest afterwards
 * gets an {@link IllegalStateException} instead of a crash. The API is reached reflectively because the code is
 * compiled at the Java 21 language level, where it is a preview. {@code sun.misc.Unsafe.invokeCleaner} was not
 * used: it is terminally deprecated (Java 25 prints a warning when it is called) and a late access to memory it
 * unmapped crashes the JVM. On a runtime without the API, close() drops the references and the GC unmaps.
 *
 * <p>Persistent memory ({@link #persistent}): the backing file is named and kept, with the {@code used} bitmap in a
 * mapped file of its own ({@link Kept}: beside it, or apart when the pages are on hugetlbfs), so the guest's RAM
 * outlives the agent process as a QEMU guest's does, and a restarted agent re-opens it page for page. Each page's
 * used bit is written through to that file the first time the page is used (after its data), so a page whose content
 * survives is always read back. The dirty log is not kept: a restarted
 * agent lost any pre-copy it was doing, and a new one starts with a full copy of the used pages.
 */
public final class GuestMemory implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GuestMemory.class);
    public static final int PAGE_SIZE = 4096;
    private static final int PAGES_PER_CHUNK = 16_384; // 64 MiB mappings: no single buffer near the 2 GiB limit
    private static final byte[] ZERO_PAGE = new byte[PAGE_SIZE];
    private static final int ZERO_PAGE_CRC = crc(ZERO_PAGE);
    private static final ByteBuffer ZERO_VIEW = ByteBuffer.allocateDirect(PAGE_SIZE).asReadOnlyBuffer();
    private static final Path SHM = Path.of("/dev/shm");
    /** Page checksums hashed at a time by {@link #digest}. */
    private static final int DIGEST_CHUNK_INTS = 16_384;

    private final int pages;
    private final Path directory;
    private final ByteBuffer[] chunks;
    private final AutoCloseable mapping;
    private final AtomicLongArray dirty;
    private final AtomicLongArray used;
    /** The backing file when it is kept (persistent memory), else null: it was unlinked after mapping. */
    private final Path file;
    /** The used bitmap, written through to a mapped file beside {@link #file}; null when not persistent. */
    private final ByteBuffer usedOnDisk;
    private volatile boolean closed;
    /**
     * A second dirty log that an estimate's sample window keeps, so sampling a guest never touches the pre-copy's log.
     * Outside a window every write still sets its bit, in {@link #unsampled}, which nobody reads: a write path that
     * skipped it is compiled without it, deoptimised when the first window opens, and the window's first milliseconds,
     * which say the rate, then see the guest's writes interpreted (with two busy shell loops beside it, 1 of 4 first
     * samples of a write-heavy guest read under a fortieth of its rate; 0 of 6 with the bit always set).
     */
    private volatile AtomicLongArray sampling;
    private final AtomicLongArray unsampled;
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Guest memory in the default memory directory. */
    public GuestMemory(int memoryMb) {
        this(memoryMb, null);
    }

    /** Guest memory backed by an unlinked file in {@code directory}; null picks {@link #defaultDirectory(long)}. */
    public GuestMemory(int memoryMb, Path directory) {
        this(memoryMb, directory, null, false, null);
    }

    /**
     * Where a kept guest's memory lives: its pages ({@code memory}) and its used bitmap ({@code used}). They may lie in
     * different directories: the pages on hugetlbfs, say, which only takes mappings, the bitmap beside the guest's
     * description.
     */
    public record Kept(Path memory, Path used) {
        public Kept {
            memory = memory.toAbsolutePath();
            used = used.toAbsolutePath();
        }
    }

    /**
     * Guest memory backed by {@code kept.memory()}, which is kept (with its used bitmap) after this memory is closed,
     * so a later process can re-open it. {@code reopen}: map what is there, used pages and all; otherwise start from
     * empty memory, replacing any files of that name.
     */
    public static GuestMemory persistent(int memoryMb, Kept kept, boolean reopen) {
        return new GuestMemory(memoryMb, kept.memory().getParent(), kept, reopen, null);
    }

    /**
     * Persistent memory of a new guest on {@code mapped}, which a guest that left had touched ({@link #detach}): its
     * file, already renamed to {@code kept.memory()}, stays mapped, so the new guest's writes land in pages this
     * process has mapped already (no fault at all). No page is used yet: all read zero.
     */
    static GuestMemory persistentOn(Mapped mapped, Kept kept) {
        if (!mapped.file().equals(kept.memory())) {
            throw new IllegalArgumentException("kept memory " + mapped.file() + " must be renamed to " + kept.memory() + " first");
        }
        try {
            Files.deleteIfExists(kept.used()); // a fresh used bitmap: the guest has used nothing yet
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + kept.used() + ": " + e.getMessage(), e);
        }
        return new GuestMemory(mapped.pages() / 256, kept.memory().getParent(), kept, true, mapped);
    }

    /**
     * Memory a guest that left had touched, still mapped, every page it used zeroed: see {@link #detach}. {@code file}
     * is where its backing file is now; {@link #moveTo} renames it and says so.
     */
    static final class Mapped {
        private final ByteBuffer[] chunks;
        private final AutoCloseable unmap;
        private final int pages;
        private Path file;

        private Mapped(ByteBuffer[] chunks, AutoCloseable unmap, int pages, Path file) {
            this.chunks = chunks;
            this.unmap = unmap;
            this.pages = pages;
            this.file = file;
        }

        int pages() {
            return pages;
        }

        long bytes() {
            return (long) pages * PAGE_SIZE;
        }

        synchronized Path file() {
            return file;
        }

        /** Renames the backing file (the mapping follows it: it maps the file, not its name). */
        synchronized void moveTo(Path target) throws IOException {
            Files.move(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            file = target;
        }

        /** Gives the memory back to the host: unmapped, its file deleted. */
        synchronized void release() {
            try {
                unmap.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not unmap kept guest memory of " + pages + " pages", e);
            } finally {
                Arrays.fill(chunks, null);
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.warn("could not delete kept guest memory {}: {}", file, e.getMessage());
                }
            }
        }
    }

    private GuestMemory(int memoryMb, Path directory, Kept kept, boolean reopen, Mapped reuse) {
        this.pages = Math.multiplyExact(memoryMb, 256);
        long bytes = (long) pages * PAGE_SIZE;
        this.directory = directory != null ? directory : defaultDirectory(bytes);
        this.file = kept == null ? null : kept.memory();
        int chunkCount = (pages + PAGES_PER_CHUNK - 1) / PAGES_PER_CHUNK;
        this.chunks = new ByteBuffer[chunkCount];
        this.dirty = new AtomicLongArray((pages + 63) / 64);
        this.unsampled = new AtomicLongArray(dirty.length());
        this.sampling = unsampled;
        this.used = new AtomicLongArray((pages + 63) / 64);
        if (kept != null && !reopen) {
            deleteFiles(kept);
        }
        this.usedOnDisk = kept == null ? null : mapUsed(kept.used(), used, reopen);
        if (reuse != null) {
            System.arraycopy(reuse.chunks, 0, chunks, 0, chunkCount);
            this.mapping = reuse.unmap;
        } else {
            this.mapping = map(this.directory, file, chunks, pages);
        }
    }

    /** The kept backing file, if this memory is persistent. */
    public java.util.Optional<Path> file() {
        return java.util.Optional.ofNullable(file);
    }

    /** Deletes a persistent memory's files (the memory itself stays mapped until closed). */
    public static void deleteFiles(Kept kept) {
        try {
            Files.deleteIfExists(kept.memory());
            Files.deleteIfExists(kept.used());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete guest memory " + kept.memory() + ": " + e.getMessage(), e);
        }
    }

    /** Maps the used bitmap's file; when re-opening, the bits found there become this memory's used pages. */
    private static ByteBuffer mapUsed(Path path, AtomicLongArray used, boolean reopen) {
        long size = (long) used.length() * 8;
        try {
            Files.createDirectories(path.getParent());
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size).order(ByteOrder.nativeOrder());
                for (int i = 0; reopen && i < used.length(); i++) {
                    used.set(i, map.getLong(i * 8));
                }
                return map;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the used-page bitmap " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where guest memory lives unless configured: {@code /dev/shm} when it exists, is writable and has room for
     * {@code bytes}, else {@code java.io.tmpdir} (a sparse file there is still only allocated as pages are written).
     */
    public static Path defaultDirectory(long bytes) {
        try {
            if (Files.isDirectory(SHM) && Files.isWritable(SHM) && Files.getFileStore(SHM).getUsableSpace() >= bytes) {
                return SHM;
            }
        } catch (IOException | SecurityException e) {
            // not usable: fall through to the temporary directory
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Whether {@code directory} is on hugetlbfs (its pages come from the kernel's reserved huge page pool). */
    public static boolean onHugePages(Path directory) {
        return HugePages.of(directory) != null;
    }

    public int pages() {
        return pages;
    }

    /** The directory of the (already unlinked) file this memory is mapped from. */
    public Path directory() {
        return directory;
    }

    /** A guest write: the whole page. */
    public void write(int page, byte[] data) {
        chunk(page).put(offset(page), data, 0, PAGE_SIZE);
        markUsed(page);
        logDirty(page);
    }

    /** A guest write of one long inside a page, as a running workload does. */
    public void writeLong(int page, int slot, long value) {
        chunk(page).putLong(offset(page) + (slot & 511) * 8, value);
        markUsed(page);
        logDirty(page);
    }

    /** Incoming migration data: not a guest write, so no dirty tracking. */
    public void load(int page, byte[] data, int from) {
        chunk(page).put(offset(page), data, from, PAGE_SIZE);
        markUsed(page);
    }

    /**
     * Allocates the page's backing without changing its content: an atomic add of zero to its first long is a write
     * fault for the kernel and a no-op for the data, so it is safe while the page is being written by anyone else.
     * Not a use: a never-used page stays zero and unused. See {@link Prefaulter}.
     */
    public void prefault(int page) {
        LONGS.getAndAdd(chunk(page), offset(page), 0L);
    }

    public void loadZero(int page) {
        ByteBuffer chunk = chunk(page);
        if (isUsed(page)) {
            chunk.put(offset(page), ZERO_PAGE, 0, PAGE_SIZE);
        } // else it was never written, so it is zero already and stays unallocated
        markUsed(page);
    }

    /** As {@link #read(int, byte[], int)}, into a (direct) buffer at {@code at}: the source's staging for a batch. */
    public void read(int page, ByteBuffer into, int at) {
        ByteBuffer chunk = chunk(page);
        if (isUsed(page)) {
            into.put(at, chunk, offset(page), PAGE_SIZE);
        } else {
            into.put(at, ZERO_PAGE, 0, PAGE_SIZE);
        }
    }

    /**
     * A writable view of {@code count} consecutive pages from {@code first}, for incoming migration data to be read
     * into directly; null when they do not lie in one mapping (then the caller asks page by page). Once the data is
     * there, the caller marks each page with {@link #loaded}.
     */
    ByteBuffer pages(int first, int count) {
        ByteBuffer chunk = chunk(first);
        if (count < 1 || first / PAGES_PER_CHUNK != (first + count - 1) / PAGES_PER_CHUNK) {
            return null;
        }
        chunk(first + count - 1); // bounds
        return chunk.slice(offset(first), count * PAGE_SIZE);
    }

    /** Whether pages {@code first} to {@code last} lie in one mapping, so {@link #pages} can view them together. */
    boolean oneMapping(int first, int last) {
        return first / PAGES_PER_CHUNK == last / PAGES_PER_CHUNK;
    }

    /** Incoming migration data was written into a view from {@link #pages}: the page is used now. */
    void loaded(int page) {
        chunk(page); // bounds and closed
        markUsed(page);
    }

    public void read(int page, byte[] into, int at) {
        ByteBuffer chunk = chunk(page);
        if (isUsed(page)) {
            chunk.get(offset(page), into, at, PAGE_SIZE);
        } else {
            Arrays.fill(into, at, at + PAGE_SIZE, (byte) 0);
        }
    }

    public boolean isZero(int page) {
        ByteBuffer chunk = chunk(page);
        if (!isUsed(page)) {
            return true;
        }
        int base = offset(page);
        if (chunk.getLong(base) != 0L) {
            return false; // most pages with content say so in their first bytes
        }
        return chunk.slice(base, PAGE_SIZE).mismatch(ZERO_VIEW) < 0; // vectorised
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

    /** Starts a sample window: from now on writes are also logged apart from the pre-copy's dirty log. */
    public synchronized void startSampling() {
        sampling = new AtomicLongArray(dirty.length());
    }

    /** Distinct pages written since {@link #startSampling()} (0 when no window is open). */
    public long sampledCount() {
        AtomicLongArray sample = sampling;
        return sample == unsampled ? 0 : count(sample);
    }

    /** Ends the sample window. */
    public synchronized void stopSampling() {
        sampling = unsampled;
    }

    /** Atomically takes the dirty log: each word is read and cleared in one step. */
    public long[] harvestDirty() {
        long[] words = new long[dirty.length()];
        for (int i = 0; i < words.length; i++) {
            words[i] = dirty.getAndSet(i, 0L);
        }
        return words;
    }

    /** Gives back what a harvest took and did not send, from word {@code from} on: those pages are dirty again. */
    public void redirty(long[] words, int from) {
        for (int i = from; i < words.length; i++) {
            if (words[i] != 0) {
                dirty.getAndAccumulate(i, words[i], (a, b) -> a | b);
            }
        }
    }

    public long[] usedPages() {
        long[] words = new long[used.length()];
        for (int i = 0; i < words.length; i++) {
            words[i] = used.get(i);
        }
        return words;
    }

    /**
     * The used pages that are not all zeros, as a bitmap: the pages a full copy sends with content. One view per
     * mapping and one read for most pages, since it runs in a fresh agent's uncompiled code while a command waits.
     */
    public long[] contentPages() {
        long[] content = usedPages();
        ByteBuffer view = null;
        int viewChunk = -1;
        for (int word = 0; word < content.length; word++) {
            for (long bits = content[word]; bits != 0; bits &= bits - 1) {
                int page = word * 64 + Long.numberOfTrailingZeros(bits);
                if (page / PAGES_PER_CHUNK != viewChunk) {
                    viewChunk = page / PAGES_PER_CHUNK;
                    view = chunk(page).duplicate();
                }
                int at = offset(page);
                if (view.getLong(at) == 0L && view.limit(at + PAGE_SIZE).position(at).mismatch(ZERO_VIEW) < 0) {
                    content[word] &= ~(1L << (page & 63));
                }
                view.clear();
            }
        }
        return content;
    }

    /** CRC32C of every page, in page order: the page-for-page fingerprint of this memory. */
    public int[] pageChecksums() {
        // It runs once per migration on each host, usually in code not yet compiled: so no object per page, and
        // unused pages are skipped 64 at a time.
        int[] sums = new int[pages];
        Arrays.fill(sums, ZERO_PAGE_CRC);
        CRC32C crc = new CRC32C();
        ByteBuffer view = null;
        int viewChunk = -1;
        for (int word = 0; word < used.length(); word++) {
            for (long bits = used.get(word); bits != 0; bits &= bits - 1) {
                int page = word * 64 + Long.numberOfTrailingZeros(bits);
                if (page / PAGES_PER_CHUNK != viewChunk) {
                    viewChunk = page / PAGES_PER_CHUNK;
                    view = chunk(page).duplicate();
                }
                int at = offset(page);
                view.limit(at + PAGE_SIZE).position(at);
                crc.reset();
                crc.update(view);
                sums[page] = (int) crc.getValue();
            }
        }
        return sums;
    }

    /** SHA-256 over the page checksums and the device state: equal memory and state, equal digest. */
    public static String digest(int[] pageChecksums, byte[] deviceState) {
        // CRC32C and CRC32 together (64 bits): both run as CPU intrinsics even in cold code, which matters because
        // this runs once per migration, inside the blackout. The per-page checksums under it do the real work.
        // The checksums go through a 64 KiB buffer, not one of 4 bytes a page (1 MiB for 1 GiB): an agent's heap is
        // small, and with 96 MiB the switchover warm-up's 40 digests stalled its allocations for up to 240 ms (JFR).
        java.util.zip.CRC32C castagnoli = new java.util.zip.CRC32C();
        java.util.zip.CRC32 ieee = new java.util.zip.CRC32();
        ByteBuffer buffer = ByteBuffer.allocate(Math.min(pageChecksums.length, DIGEST_CHUNK_INTS) * 4);
        for (int from = 0; from < pageChecksums.length; from += DIGEST_CHUNK_INTS) {
            int n = Math.min(DIGEST_CHUNK_INTS, pageChecksums.length - from);
            buffer.clear();
            buffer.asIntBuffer().put(pageChecksums, from, n); // big-endian, as the whole-array copy was: same digest
            castagnoli.update(buffer.array(), 0, n * 4);
            ieee.update(buffer.array(), 0, n * 4);
        }
        castagnoli.update(deviceState);
        ieee.update(deviceState);
        return HexFormat.of().toHexDigits((int) castagnoli.getValue()) + HexFormat.of().toHexDigits((int) ieee.getValue());
    }

    /** Returns the memory to the host at once (see the class comment); later accesses fail. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            mapping.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not unmap guest memory of " + pages + " pages", e);
        } finally {
            Arrays.fill(chunks, null);
        }
    }

    /**
     * Closes this memory without unmapping it, for the next guest of its size ({@link WarmMemory}): every used page is
     * zeroed through the mapping, which keeps the process's page tables (a new mapping of the same file pays a fault
     * per page on first access: ~5-15 µs on this machine, itself a VM). {@code fileNow}: where the backing file is now
     * (a guest that leaves has it renamed first). Null when this memory is not persistent or was closed already. Only for a guest whose writer has stopped and no incoming stream writes: a page holding data
     * without its used mark would not be zeroed.
     */
    Mapped detach(Path fileNow) {
        synchronized (this) {
            if (closed || file == null) {
                return null;
            }
            closed = true;
        }
        ByteBuffer[] kept = chunks.clone();
        Arrays.fill(chunks, null);
        for (int word = 0; word < used.length(); word++) {
            for (long bits = used.get(word); bits != 0; bits &= bits - 1) {
                int page = word * 64 + Long.numberOfTrailingZeros(bits);
                kept[page / PAGES_PER_CHUNK].put(offset(page), ZERO_PAGE, 0, PAGE_SIZE);
            }
        }
        return new Mapped(kept, mapping, pages, fileNow);
    }

    public boolean isUsed(int page) {
        return (used.get(page >>> 6) & (1L << (page & 63))) != 0;
    }

    private ByteBuffer chunk(int page) {
        if (page < 0 || page >= pages) {
            throw new IndexOutOfBoundsException("page " + page + " outside guest memory of " + pages + " pages");
        }
        ByteBuffer chunk = chunks[page / PAGES_PER_CHUNK];
        if (closed || chunk == null) {
            throw new IllegalStateException("guest memory of " + pages + " pages is closed");
        }
        return chunk;
    }

    private static int offset(int page) {
        return (page % PAGES_PER_CHUNK) * PAGE_SIZE;
    }

    /**
     * Sets the page's dirty bit with a volatile write even when it is set already. Returning early on a set bit
     * (as {@link #mark} does) would lose writes: the check is a mere read, so nothing orders the page store before
     * it (on x86 the store can still sit in the store buffer), and a harvest that clears the bit right after could
     * copy the page without that store, which then no bit covers. A write is a release: whoever harvests after it
     * sees the data, whoever harvested before it leaves the bit set for the next round.
     */
    private void logDirty(int page) {
        int word = page >>> 6;
        long bit = 1L << (page & 63);
        or(sampling, word, bit);
        or(dirty, word, bit);
    }

    private static void or(AtomicLongArray bitmap, int word, long bit) {
        long old = bitmap.get(word);
        while (!bitmap.compareAndSet(word, old, old | bit)) {
            old = bitmap.get(word);
        }
    }

    /**
     * Sets a used bit, which is never cleared: one already set needs no write. The first time, persistent memory
     * also sets it in the bitmap's file, after the page's data, so a re-opened memory never misses a used page.
     */
    private void markUsed(int page) {
        int word = page >>> 6;
        long bit = 1L << (page & 63);
        long old;
        do {
            old = used.get(word);
            if ((old & bit) != 0) {
                return;
            }
        } while (!used.compareAndSet(word, old, old | bit));
        if (usedOnDisk != null) {
            LONGS.getAndBitwiseOr(usedOnDisk, word * 8, bit);
        }
    }

    private static long count(AtomicLongArray bitmap) {
        long n = 0;
        for (int i = 0; i < bitmap.length(); i++) {
            n += Long.bitCount(bitmap.get(i));
        }
        return n;
    }

    private static int crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    /**
     * Creates (or, when {@code named} exists, opens) and maps the backing file; fills {@code chunks}; returns what
     * unmaps them. A temporary file is unlinked right after mapping, a named one is kept.
     */
    private static AutoCloseable map(Path directory, Path named, ByteBuffer[] chunks, int pages) {
        Path file;
        try {
            Files.createDirectories(directory);
            file = named != null ? named : Files.createTempFile(directory, "ferry-guest-", ".mem");
            if (named != null && !Files.exists(named)) {
                Files.createFile(named);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create guest memory in " + directory + ": " + e.getMessage(), e);
        }
        AutoCloseable mapping = () -> {};
        HugePages huge = HugePages.of(directory);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (huge != null) {
                huge.prepare(file, (long) pages * PAGE_SIZE);
            }
            Object arena = SharedArenas.open();
            if (arena != null) {
                mapping = () -> SharedArenas.close(arena);
            }
            for (int i = 0; i < chunks.length; i++) { // each mapping grows the (sparse) file to cover it
                long offset = (long) i * PAGES_PER_CHUNK * PAGE_SIZE;
                long length = (long) Math.min(PAGES_PER_CHUNK, pages - i * PAGES_PER_CHUNK) * PAGE_SIZE;
                ByteBuffer chunk = arena != null
                        ? SharedArenas.map(channel, offset, length, arena)
                        : channel.map(FileChannel.MapMode.READ_WRITE, offset, length);
                chunks[i] = chunk.order(ByteOrder.LITTLE_ENDIAN);
            }
            return mapping;
        } catch (IOException | RuntimeException e) {
            try {
                mapping.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot map " + pages + " pages of guest memory in " + directory + ": " + e.getMessage()
                    + (huge != null ? "; " + huge.describe() : ""), e instanceof IOException io ? io : new IOException(e));
        } finally {
            try {
                if (named == null) {
                    Files.deleteIfExists(file); // unlinked: the mapping keeps the memory, nothing is left on disk
                }
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }

    /**
     * java.lang.foreign, reached reflectively: final since Java 22 but a preview at the Java 21 language level this
     * module is compiled at. Null handles mean the runtime lacks it and plain mapped buffers are used instead.
     */
    private static final class SharedArenas {
        private static final Method OF_SHARED;
        private static final Method CLOSE;
        private static final Method MAP;
        private static final Method AS_BYTE_BUFFER;

        static {
            Method ofShared = null;
            Method close = null;
            Method map = null;
            Method asByteBuffer = null;
            try {
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                ofShared = arena.getMethod("ofShared");
                close = arena.getMethod("close");
                map = FileChannel.class.getMethod("map", FileChannel.MapMode.class, long.class, long.class, arena);
                asByteBuffer = segment.getMethod("asByteBuffer");
            } catch (ReflectiveOperationException | LinkageError e) {
                ofShared = null;
            }
            OF_SHARED = ofShared;
            CLOSE = close;
            MAP = map;
            AS_BYTE_BUFFER = asByteBuffer;
        }

        static Object open() {
            return OF_SHARED == null ? null : invoke(OF_SHARED, null);
        }

        static ByteBuffer map(FileChannel channel, long offset, long length, Object arena) {
            Object segment = invoke(MAP, channel, FileChannel.MapMode.READ_WRITE, offset, length, arena);
            return (ByteBuffer) invoke(AS_BYTE_BUFFER, segment);
        }

        /** Unmaps every chunk; waits out a thread that briefly holds the memory (a checksum in progress). */
        static void close(Object arena) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try {
                    invoke(CLOSE, arena);
                    return;
                } catch (IllegalStateException busy) {
                    if (System.nanoTime() > deadline) {
                        throw busy;
                    }
                    Thread.sleep(1);
                }
            }
        }

        private static Object invoke(Method method, Object target, Object... args) {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof IOException io) {
                    throw new UncheckedIOException(io);
                }
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
