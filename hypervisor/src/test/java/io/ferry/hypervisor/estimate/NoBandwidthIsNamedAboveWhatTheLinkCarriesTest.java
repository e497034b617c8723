package io.ferry.hypervisor.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.estimate.PrecopyModel.Inputs;
import io.ferry.hypervisor.estimate.PrecopyModel.Overheads;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB guest writing 658,000 fresh pages a second under a 1,000 Mbit/s cap: only a link of over 20 Gbit/s outruns
 * it. A what-if named 21,581 Mbit/s on a route whose rounds reach 6-7 Gbit/s, and the migration under it failed as
 * before (2026-12-02): no cap makes a link faster than it is.
 */
class NoBandwidthIsNamedAboveWhatTheLinkCarriesTest {
    private static final GuestSample HEAVY = new GuestSample(Instant.EPOCH, 1000, 658_000, 262_144, 262_144, 262_144, 0);
    private static final CopyPolicy POLICY = new CopyPolicy(300, 1000, 10, false, Compression.NONE, 30_000);

    @Test
    void the_bandwidth_remedy_is_left_out_when_it_exceeds_the_link_and_named_when_the_link_carries_it() {
        // given the guest on a link measured to carry 8,000 Mbit/s uncapped, and on one not measured
        Inputs measured = new Inputs(HEAVY, POLICY, 1000, Driver.SIMULATED, Overheads.DEFAULT).withLinkCeiling(8_000);
        Inputs unknown = new Inputs(HEAVY, POLICY, 1000, Driver.SIMULATED, Overheads.DEFAULT);

        // when each is estimated
        Estimate within = PrecopyModel.estimate(measured);
        Estimate beyond = PrecopyModel.estimate(unknown);

        // then neither converges; past 8,000 Mbit/s a link would, which only the unmeasured one may name
        assertThat(within.converges()).isFalse();
        assertThat(beyond.remedies().bandwidthMbps()).isGreaterThan(8_000);
        assertThat(within.remedies().bandwidthMbps()).isNull();
        assertThat(within.remedies().maxDowntimeMs()).isNotNull();
    }
}
