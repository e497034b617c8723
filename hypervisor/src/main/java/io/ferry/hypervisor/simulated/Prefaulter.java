package io.ferry.hypervisor.simulated;

import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocates a skeleton's memory in the background, ahead of the stream. The first write to a fresh page of guest
 * memory costs the host a page fault and a zeroed page (about 5-19 µs per 4 KiB page on the machines ferry was
 * measured on), far more than the copy of the page itself; a destination that faults its memory in while pages arrive
 * receives at the fault rate, whatever the link carries. So the skeleton touches its pages from the moment it is
 * prepared, in ascending page order as round 1 sends them, and the source's hint ({@link #hint}) narrows that to the
 * pages that will arrive with content, so a guest that uses 60 % of its memory still holds about 60 % here (plus what
 * was touched before the hint came, at most {@link #UNHINTED_SHARE an eighth}).
 *
 * <p>Touching never changes a page ({@link GuestMemory#prefault}), so it is safe next to pages arriving; a page the
 * stream reaches first is simply faulted by the copy, and the prefaulter then skips to the stream's frontier.
 * {@link #awaitAhead} is what the source waits for before round 1: long enough that the rest of the prefault cannot be
 * overtaken by a link of the given rate, and no longer.
 */
final class Prefaulter {
    private static final Logger log = LoggerFactory.getLogger(Prefaulter.class);
    /** Rates measured over less than this are too noisy to decide on. */
    private static final long MEASURE_NANOS = 20_000_000L;
    /**
     * Until the source's hint arrives, only the first 1/8 of the memory is touched: the hint normally follows within
     * one command's round trip, and a skeleton whose source never connects then holds an eighth of its memory, not
     * all of it.
     */
    private static final int UNHINTED_SHARE = 8;
    /** The prefault must be able to finish within this share of the stream's time to count as ahead. */
    private static final double MARGIN = 0.8;

    private final GuestMemory memory;
    private final String migrationId;
    private final Thread thread;
    private final long startedNanos = System.nanoTime();
    /** DATA pages the source will send in round 1; null until the source said (then every page is a candidate). */
    private volatile long[] hint;
    private volatile int hintedPages;
    /** Pages below this were written by the stream already: touching them again gains nothing. */
    private volatile int frontier;
    /** The next page the prefaulter looks at. */
    private volatile int position;
    private volatile long touched;
    private volatile long doneNanos;
    private volatile boolean stopped;

    Prefaulter(GuestMemory memory, String migrationId) {
        this(memory, migrationId, null);
    }

    /** Starts with the source's hint already known (null: every page until one arrives). */
    Prefaulter(GuestMemory memory, String migrationId, long[] dataPages) {
        if (dataPages != null) {
            hint(dataPages);
        }
        this.memory = memory;
        this.migrationId = migrationId;
        this.thread = Thread.ofPlatform().daemon().name("prefault-" + migrationId).start(this::run);
    }

    /** The pages the source will send with content (a bitmap); pages outside it are left unallocated. */
    void hint(long[] dataPages) {
        int count = 0;
        for (long word : dataPages) {
            count += Long.bitCount(word);
        }
        hintedPages = count;
        hint = dataPages;
    }

    /** The receiver applied pages up to (excluding) {@code page}. */
    void streamedUpTo(int page) {
        if (page > frontier) {
            frontier = page;
        }
    }

    /** Pages touched so far. */
    long touched() {
        return touched;
    }

    boolean done() {
        return doneNanos != 0;
    }

    /**
     * Waits until the pages still to be touched can be touched before a link of {@code bandwidthMbps} (0: uncapped,
     * which means all of them) would deliver them, or at most {@code maxWaitMs}. Returns what it found, for the log.
     */
    String awaitAhead(int bandwidthMbps, long maxWaitMs, java.util.function.BooleanSupplier cancelled) {
        long waitStarted = System.nanoTime();
        long deadline = waitStarted + maxWaitMs * 1_000_000;
        while (!done() && !cancelled.getAsBoolean() && System.nanoTime() < deadline && !ahead(bandwidthMbps)) {
            LockSupport.parkNanos(2_000_000);
        }
        long waitedMs = (System.nanoTime() - waitStarted) / 1_000_000;
        long elapsed = (done() ? doneNanos : System.nanoTime()) - startedNanos;
        return String.format(java.util.Locale.ROOT, "%d pages prefaulted in %d ms (%s), the stream waited %d ms",
                touched, elapsed / 1_000_000, done() ? "done" : "still going", waitedMs);
    }

    private boolean ahead(int bandwidthMbps) {
        long elapsed = System.nanoTime() - startedNanos;
        if (bandwidthMbps <= 0 || elapsed < MEASURE_NANOS || touched == 0 || hint == null) {
            return false;
        }
        double touchPerSec = touched * 1e9 / elapsed;
        double streamPerSec = bandwidthMbps * 1e6 / 8 / GuestMemory.PAGE_SIZE;
        long remaining = remaining();
        // the stream reaches the last page at hinted/streamPerSec; the prefault, remaining/touchPerSec from now
        return remaining / touchPerSec <= MARGIN * hintedPages / streamPerSec;
    }

    /** Hinted pages at or above where the prefault and the stream are. */
    private long remaining() {
        long[] bits = hint;
        int from = Math.max(position, frontier);
        long count = 0;
        for (int word = from >>> 6; word < bits.length; word++) {
            long w = bits[word];
            if (word == from >>> 6) {
                w &= -1L << (from & 63);
            }
            count += Long.bitCount(w);
        }
        return count;
    }

    /** Stops touching and waits for the thread, so the memory can be closed. */
    void stop() {
        stopped = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        int pages = memory.pages();
        try {
            int page = 0;
            while (page < pages && !stopped) {
                page = Math.max(page, frontier);
                long[] bits = hint;
                if (bits == null && page >= pages / UNHINTED_SHARE) {
                    LockSupport.parkNanos(1_000_000); // a source that never connects must not get all of it allocated
                    continue;
                }
                if (bits != null) {
                    int word = page >>> 6;
                    long w = word < bits.length ? bits[word] & (-1L << (page & 63)) : 0;
                    while (w == 0 && ++word < bits.length) {
                        w = bits[word];
                    }
                    if (w == 0) {
                        break; // no hinted page left
                    }
                    page = word * 64 + Long.numberOfTrailingZeros(w);
                }
                memory.prefault(page);
                touched++;
                position = ++page;
            }
            doneNanos = System.nanoTime();
            log.debug("migration {}: {} pages of the skeleton prefaulted in {} ms", migrationId, touched,
                    (doneNanos - startedNanos) / 1_000_000);
        } catch (IllegalStateException closed) {
            // the skeleton was destroyed (abort): nothing left to prefault
            doneNanos = System.nanoTime();
        }
    }
}
