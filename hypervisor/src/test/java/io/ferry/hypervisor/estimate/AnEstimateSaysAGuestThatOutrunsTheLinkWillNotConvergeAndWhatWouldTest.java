package io.ferry.hypervisor.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.estimate.PrecopyModel.Inputs;
import io.ferry.hypervisor.estimate.PrecopyModel.Overheads;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnEstimateSaysAGuestThatOutrunsTheLinkWillNotConvergeAndWhatWouldTest {
    // a 1 GiB guest, 60 % used, rewriting 40,000 fresh pages a second over a quarter of its memory
    private static final GuestSample BUSY = new GuestSample(Instant.EPOCH, 1000, 40_000, 65_536, 262_144, 157_286, 15_000);

    @Test
    void it_does_not_converge_at_one_gigabit_and_names_the_bandwidth_the_throttle_and_the_downtime_that_would_make_it() {
        // given a policy of 1 Gbit/s, 300 ms and 10 rounds without auto-converge
        CopyPolicy policy = new CopyPolicy(300, 1000, 10, false, Compression.NONE, 30_000);

        // when it is estimated
        Estimate estimate = PrecopyModel.estimate(new Inputs(BUSY, policy, 1000, Driver.SIMULATED, Overheads.DEFAULT));

        // then it would fail NOT_CONVERGING, the guest never paused, and each remedy converges when played
        assertThat(estimate.converges()).isFalse();
        assertThat(estimate.downtimeMs()).isZero();
        assertThat(estimate.rounds()).isEqualTo(10);
        assertThat(estimate.why()).contains("round limit");
        Estimate.Remedies remedies = estimate.remedies();
        assertThat(remedies.bandwidthMbps()).isGreaterThan(1000);
        assertThat(remedies.autoConvergeThrottlePercent()).isBetween(20, 99);
        assertThat(remedies.maxDowntimeMs()).isGreaterThan(300);
        assertThat(PrecopyModel.estimate(new Inputs(BUSY, new CopyPolicy(300, remedies.bandwidthMbps(), 10, false,
                Compression.NONE, 30_000), remedies.bandwidthMbps(), Driver.SIMULATED, Overheads.DEFAULT)).converges()).isTrue();
        assertThat(PrecopyModel.estimate(new Inputs(BUSY, new CopyPolicy(300, 1000, 10, true, Compression.NONE, 30_000), 1000,
                Driver.SIMULATED, Overheads.DEFAULT)).converges()).isTrue();
        assertThat(PrecopyModel.estimate(new Inputs(BUSY, new CopyPolicy(remedies.maxDowntimeMs(), 1000, 10, false,
                Compression.NONE, 30_000), 1000, Driver.SIMULATED, Overheads.DEFAULT)).converges()).isTrue();
    }

    @Test
    void an_idle_guest_converges_in_one_round_in_its_wire_time_plus_the_overheads() {
        // given an idle guest of the same size on a 1 Gbit/s link
        GuestSample idle = new GuestSample(Instant.EPOCH, 1000, 0, 0, 262_144, 157_286, 15_000);
        CopyPolicy policy = new CopyPolicy(300, 1000, 10, false, Compression.NONE, 30_000);

        // when it is estimated
        Estimate estimate = PrecopyModel.estimate(new Inputs(idle, policy, 1000, Driver.SIMULATED, new Overheads(500, 20)));

        // then one round sends the data pages (zero pages as markers): about 4.67 s, plus 0.5 s and a 20 ms pause
        assertThat(estimate.converges()).isTrue();
        assertThat(estimate.rounds()).isOne();
        assertThat(estimate.precopyMs()).isBetween(4_650L, 4_700L);
        assertThat(estimate.downtimeMs()).isEqualTo(20);
        assertThat(estimate.totalMs()).isEqualTo(500 + estimate.precopyMs() + 20);
        assertThat(estimate.remedies()).isNull();
    }

    @Test
    void the_dirty_curve_fitted_to_points_of_a_saturating_guest_gives_them_back() {
        // given the distinct pages a guest of 2,048 pages dirtied after 0.1, 0.2, 0.4 and 0.8 s
        DirtyCurve truth = new DirtyCurve(20_000, 2_048);
        var points = java.util.stream.DoubleStream.of(0.1, 0.2, 0.4, 0.8)
                .mapToObj(t -> new DirtyCurve.Point(t, truth.pages(t, 0))).toList();

        // when a curve is fitted to them
        DirtyCurve fitted = DirtyCurve.fit(points, 262_144);

        // then it is the guest's, within a few per cent
        assertThat(fitted.workingSetPages()).isBetween(2_000.0, 2_100.0);
        assertThat(fitted.pagesPerSec()).isBetween(19_000.0, 21_000.0);
    }
}
