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
 * A 16 MB guest writing 100,000 pages a second, four unthrottled rounds at 200 Mbit/s, each leaving all its 4,096 pages
 * dirty: the rounds say only "at least 4,096 pages per round". Read from them alone, the what-if named 256 Mbit/s, and
 * the migration tried under it failed the same way.
 */
class AGuestWhoseRoundsOnlyBoundItsRateIsReadFromItsSampleTest {
    private static final long PAGES = 4_096;
    private static final CopyPolicy RECORDED = new CopyPolicy(100, 200, 4, false, Compression.NONE, 30_000);

    private static RecordedPrecopy saturated() {
        List<RecordedPrecopy.Round> rounds = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            rounds.add(new RecordedPrecopy.Round(i, PAGES, PAGES * 4104, 0, PAGES, 672, 0));
        }
        return new RecordedPrecopy(PAGES, rounds);
    }

    @Test
    void the_guests_sample_gives_its_rate_and_the_what_if_names_a_link_that_outruns_it() {
        // given the saturated rounds, and the guest's latest sample, taken since the request, whose short windows saw
        // 100,000 pages a second
        RecordedPrecopy recorded = saturated();
        Instant requested = Instant.parse("2026-12-02T12:00:00Z");
        GuestSample sample = new GuestSample(requested.plusSeconds(5), 1000, 100_000, PAGES, PAGES, PAGES, 0);
        assertThat(recorded.onlyBoundsTheRate()).isTrue();

        // when the what-if is played from the rounds alone and with the sample
        WhatIf alone = WhatIf.play(recorded, RECORDED, RECORDED, Driver.SIMULATED, PrecopyModel.Overheads.DEFAULT, 0);
        WhatIf withSample = WhatIf.play(recorded, Optional.of(sample), requested, RECORDED, RECORDED, Driver.SIMULATED,
                PrecopyModel.Overheads.DEFAULT, 0);

        // then the sample's rate stands in, and the link it names carries more than the guest writes over a 100 ms pause
        assertThat(withSample.guest().dirtyPagesPerSec()).isEqualTo(100_000);
        assertThat(withSample.rateIsLowerBound()).isFalse();
        assertThat(withSample.sampledAt()).isEqualTo(sample.sampledAt());
        assertThat(alone.rateIsLowerBound()).isTrue();
        assertThat(withSample.asRecorded().converges()).isFalse();
        Integer named = withSample.asRecorded().remedies().bandwidthMbps();
        assertThat(named).isGreaterThan(alone.asRecorded().remedies().bandwidthMbps());
        assertThat(named).isGreaterThan(1_000);
    }
}
