package io.ferry.hypervisor.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB write-heavy guest, five rounds at 1,000 Mbit/s each leaving all its 262,144 pages dirty. Its only sample was
 * taken in its first seconds, while its memory was still being faulted in: 95,700 pages/s, where it writes millions once
 * it runs. A what-if that read that sample named 3,322 Mbit/s, and the migration under it failed as before
 * (2026-12-02).
 */
class ASampleTakenBeforeTheRequestDoesNotStandInForARateTheRoundsOnlyBoundTest {
    private static final long PAGES = 262_144;
    private static final CopyPolicy RECORDED = new CopyPolicy(300, 1000, 10, false, Compression.NONE, 30_000);
    private static final Instant REQUESTED = Instant.parse("2026-12-02T14:50:00Z");

    private static RecordedPrecopy saturated() {
        List<RecordedPrecopy.Round> rounds = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            rounds.add(new RecordedPrecopy.Round(i, PAGES, PAGES * 4104, 0, PAGES, 9_000, 0));
        }
        return new RecordedPrecopy(PAGES, rounds);
    }

    @Test
    void the_what_if_says_its_rate_is_only_a_lower_bound_and_reads_no_rate_from_the_older_sample() {
        // given the saturated rounds and a sample taken 20 s before the request
        GuestSample boot = new GuestSample(REQUESTED.minusSeconds(20), 1000, 95_700, PAGES, PAGES, 200_000, 0);

        // when the what-if is played under the recorded policy
        WhatIf whatIf = WhatIf.play(saturated(), Optional.of(boot), REQUESTED, RECORDED, RECORDED, Driver.SIMULATED,
                PrecopyModel.Overheads.DEFAULT, 0);

        // then the rate is the rounds' own bound, said to be one, and no sample is named as read
        assertThat(whatIf.rateIsLowerBound()).isTrue();
        assertThat(whatIf.sampledAt()).isNull();
        assertThat(whatIf.guest().dirtyPagesPerSec()).isLessThan(95_700);
    }

    @Test
    void a_sample_taken_since_the_request_is_read_and_the_rate_is_no_longer_a_bound() {
        // given the same rounds and a sample taken after the migration, once the guest ran alone again
        GuestSample since = new GuestSample(REQUESTED.plusSeconds(50), 1000, 3_400_000, PAGES, PAGES, PAGES, 0);

        // when the what-if is played
        WhatIf whatIf = WhatIf.play(saturated(), Optional.of(since), REQUESTED, RECORDED, RECORDED, Driver.SIMULATED,
                PrecopyModel.Overheads.DEFAULT, 0);

        // then the sample's rate stands in
        assertThat(whatIf.rateIsLowerBound()).isFalse();
        assertThat(whatIf.sampledAt()).isEqualTo(since.sampledAt());
        assertThat(whatIf.guest().dirtyPagesPerSec()).isEqualTo(3_400_000);
    }
}
