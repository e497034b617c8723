package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A lost write shows only when it is a page's last write before the copy is compared (a later write dirties the
 * page again and repairs it), so the guest writes in many short bursts and each burst ends with a comparison.
 */
class NoGuestWriteIsLostBetweenHarvestAndSendTest {
    private static final int MEMORY_MB = 1; // 256 pages
    private static final int HOT_PAGES = 8;
    private static final int WRITERS = 2;
    private static final int WRITES_PER_BURST = 256;
    private static final int MAX_BURSTS = 3_000; // about 2 s on an idle 2-core host
    private static final long MAX_NANOS = 2_500_000_000L; // a busy host gets fewer bursts, not a longer test

    @Test
    void pages_copied_from_harvests_taken_while_the_guest_writes_end_identical_to_the_guest() throws Exception {
        // given a guest memory that two writers hammer in bursts, mostly on a few hot pages, and an empty copy
        try (GuestMemory guest = new GuestMemory(MEMORY_MB); GuestMemory copy = new GuestMemory(MEMORY_MB)) {
            Phaser bursts = new Phaser(WRITERS + 1);
            AtomicInteger writersDone = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int seed = w;
                writers.add(Thread.ofPlatform().start(() -> hammer(guest, seed, bursts, writersDone, running)));
            }

            // when, in every burst, a copier keeps harvesting the dirty log and copying those pages while the writers
            // run, then harvests and copies once more after they stopped, and compares
            byte[] page = new byte[GuestMemory.PAGE_SIZE];
            List<String> mismatches = new ArrayList<>();
            long burstCount = 0;
            long racingRounds = 0;
            long deadline = System.nanoTime() + MAX_NANOS;
            while (burstCount < MAX_BURSTS && System.nanoTime() < deadline && mismatches.size() < 10) {
                writersDone.set(0);
                bursts.arriveAndAwaitAdvance(); // the writers start this burst
                while (writersDone.get() < WRITERS) {
                    if (copyHarvest(guest, copy, page) > 0) {
                        racingRounds++;
                    }
                }
                copyHarvest(guest, copy, page);
                List<Integer> differing = differingPages(guest.pageChecksums(), copy.pageChecksums());
                if (!differing.isEmpty()) {
                    mismatches.add("burst " + burstCount + ": pages " + differing);
                }
                burstCount++;
            }
            running.set(false);
            bursts.arriveAndDeregister();
            for (Thread writer : writers) {
                writer.join();
            }

            // then after every burst the copy equals the guest page for page, over many bursts and rounds that raced
            assertThat(mismatches).as("bursts after which the copy differed").isEmpty();
            assertThat(burstCount).as("bursts").isGreaterThanOrEqualTo(20);
            assertThat(racingRounds).as("harvests that copied pages while the guest wrote").isGreaterThanOrEqualTo(20);
        }
    }

    // A writer as the guest's vCPU: bursts of writes, 7 of 8 into the hot pages, one in 4 a whole page, all new data.
    private static void hammer(GuestMemory guest, int seed, Phaser bursts, AtomicInteger writersDone, AtomicBoolean running) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] data = new byte[GuestMemory.PAGE_SIZE];
        long value = (long) seed << 48;
        while (true) {
            bursts.arriveAndAwaitAdvance();
            if (!running.get()) {
                bursts.arriveAndDeregister();
                return;
            }
            for (int i = 0; i < WRITES_PER_BURST; i++) {
                int page = random.nextInt(8) == 0 ? random.nextInt(guest.pages()) : random.nextInt(HOT_PAGES);
                if (random.nextInt(4) == 0) {
                    random.nextBytes(data);
                    guest.write(page, data);
                } else {
                    guest.writeLong(page, random.nextInt(512), ++value);
                }
            }
            writersDone.incrementAndGet();
        }
    }

    // What a pre-copy round does: take the dirty log, then send each of its pages as it is now.
    private static long copyHarvest(GuestMemory from, GuestMemory to, byte[] page) {
        long[] words = from.harvestDirty();
        long copied = 0;
        for (int word = 0; word < words.length; word++) {
            long bits = words[word];
            while (bits != 0) {
                int p = word * 64 + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                from.read(p, page, 0);
                to.load(p, page, 0);
                copied++;
            }
        }
        return copied;
    }

    private static List<Integer> differingPages(int[] expected, int[] actual) {
        List<Integer> differing = new ArrayList<>();
        for (int page = 0; page < expected.length; page++) {
            if (expected[page] != actual[page]) {
                differing.add(page);
            }
        }
        return differing;
    }
}
