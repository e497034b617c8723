package io.ferry.hypervisor.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench's heavy-1g as it was recorded: a 1 GiB guest dirtying all its memory in every round at 1 Gbit/s, up to a
 * 99 % throttle, where each 6.5 s round still left about 200,000 of its 262,144 pages dirty; it never converged.
 */
class AGuestThatDirtiedAllItsMemoryEveryRoundIsReadFromItsThrottledRoundsTest {
    private static final long PAGES = 262_144;

    private static RecordedPrecopy heavyAtOneGigabit() {
        List<RecordedPrecopy.Round> rounds = new ArrayList<>();
        int[] throttles = {0, 0, 20, 30, 40, 50, 60, 70, 80, 90};
        for (int i = 0; i < throttles.length; i++) {
            rounds.add(new RecordedPrecopy.Round(i + 1, PAGES, PAGES * 4104, 0, PAGES, 8_590, throttles[i]));
        }
        long[] left = {221_365, 200_848, 207_396, 201_851, 185_996, 201_049};
        long sent = PAGES;
        for (int i = 0; i < left.length; i++) {
            rounds.add(new RecordedPrecopy.Round(11 + i, sent, sent * 4104, 0, left[i], sent * 8_590 / PAGES, 99));
            sent = left[i];
        }
        return new RecordedPrecopy(PAGES, rounds);
    }

    @Test
    void its_rate_comes_from_the_throttled_rounds_and_the_what_if_does_not_have_it_converge_on_the_same_link() {
        // given the recorded rounds
        RecordedPrecopy recorded = heavyAtOneGigabit();

        // when the guest is read from them
        GuestSample guest = recorded.guest(Instant.EPOCH);

        // then its rate is what a 99 % throttle left of it (about 200,000 pages in 1 % of 6 s), millions of pages a
        // second, not its memory over an unthrottled round (30,500 pages/s, the link's own rate)
        assertThat(guest.dirtyPagesPerSec()).isBetween(3e6, 1e7);
        assertThat(guest.workingSetPages()).isEqualTo(PAGES);

        // and replayed on the same link with auto-converge it does not converge, as it did not
        CopyPolicy asRecorded = new CopyPolicy(300, 1000, 10, true, Compression.NONE, 30_000);
        WhatIf replay = WhatIf.play(recorded, asRecorded, asRecorded, Driver.SIMULATED, PrecopyModel.Overheads.DEFAULT, 0);
        assertThat(replay.asRecorded().converges()).isFalse();
        assertThat(replay.asRecorded().remedies().bandwidthMbps()).isGreaterThan(1000);
    }
}
