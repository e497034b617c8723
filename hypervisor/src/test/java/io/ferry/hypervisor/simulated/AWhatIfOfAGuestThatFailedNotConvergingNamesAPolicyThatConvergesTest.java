package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.PrecopyResult;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.hypervisor.estimate.Driver;
import io.ferry.hypervisor.estimate.Estimate;
import io.ferry.hypervisor.estimate.GuestSample;
import io.ferry.hypervisor.estimate.PrecopyModel;
import io.ferry.hypervisor.estimate.PrecopyModel.Inputs;
import io.ferry.hypervisor.estimate.PrecopyModel.Overheads;
import io.ferry.hypervisor.estimate.RecordedPrecopy;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The estimate's promise end to end on one driver: sampled beforehand, a guest that outruns the link is said not to
 * converge; it fails NOT_CONVERGING; its recorded rounds, replayed under the policy the what-if names, converge; and a
 * new migration under that policy does converge.
 */
class AWhatIfOfAGuestThatFailedNotConvergingNamesAPolicyThatConvergesTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 8, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    // 200 Mbit/s carries ~6,000 pages/s; the guest dirties 100,000 page writes/s over its 2,048 pages
    private static final int LINK_MBPS = 200;
    private final SimulatedHypervisor source = LoopbackHosts.running(GuestWorkload.parse("uniform:100000"));
    private final SimulatedHypervisor destination = LoopbackHosts.running(GuestWorkload.IDLE);

    @AfterEach
    void close() throws Exception {
        source.close();
        destination.close();
    }

    @Test
    void the_estimate_foresees_the_failure_and_the_what_if_policy_converges_when_tried() throws Exception {
        // given a busy guest, sampled without migrating, and a policy without auto-converge
        source.boot(SPEC);
        GuestSample sample = source.sample("SERVER2", Duration.ofMillis(400)).orElseThrow();
        CopyPolicy policy = new CopyPolicy(100, LINK_MBPS, 4, false, Compression.NONE, 2_000);
        Estimate foreseen = PrecopyModel.estimate(new Inputs(sample, policy, LINK_MBPS, Driver.SIMULATED, Overheads.DEFAULT));
        assertThat(foreseen.converges()).as("estimate %s from %s", foreseen, sample).isFalse();
        assertThat(foreseen.remedies().autoConvergeThrottlePercent()).isNotNull();

        // when it is migrated under that policy, it fails NOT_CONVERGING as foreseen
        MigrationTicket first = new MigrationTicket("m-1", "SERVER2", "t-1");
        source.connectSource(first, destination.prepareSkeleton(first, SPEC));
        List<RoundStats> rounds = new ArrayList<>();
        assertThatThrownBy(() -> source.precopy(first, policy, rounds::add))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.reason()).isEqualTo("NOT_CONVERGING"));
        destination.abort(first);
        source.abort(first);

        // then its recorded rounds, replayed, fail the same way and converge with auto-converge
        RecordedPrecopy recorded = new RecordedPrecopy(SPEC.memoryMb() * 256L, rounds.stream().map(r -> new RecordedPrecopy.Round(
                r.round(), r.pagesSent(), r.bytesSent(), r.zeroPages(), r.dirtyPagesRemaining(), r.roundMs(),
                r.throttlePercent())).toList());
        GuestSample replayed = recorded.guest(Instant.EPOCH);
        double link = PrecopyModel.link(LINK_MBPS, recorded.linkMbps());
        assertThat(PrecopyModel.estimate(new Inputs(replayed, policy, link, Driver.SIMULATED, Overheads.DEFAULT)).converges())
                .isFalse();
        CopyPolicy suggested = new CopyPolicy(100, LINK_MBPS, 4, true, Compression.NONE, 20_000);
        Estimate whatIf = PrecopyModel.estimate(new Inputs(replayed, suggested, link, Driver.SIMULATED, Overheads.DEFAULT));
        assertThat(whatIf.converges()).as("what-if %s", whatIf).isTrue();
        assertThat(whatIf.throttlePercent()).isPositive();

        // and a new migration under the suggested policy converges within its downtime limit
        MigrationTicket second = new MigrationTicket("m-2", "SERVER2", "t-2");
        SimulatedHypervisor target = LoopbackHosts.running(GuestWorkload.IDLE);
        try {
            source.connectSource(second, target.prepareSkeleton(second, SPEC));
            PrecopyResult result = source.precopy(second, suggested, r -> { });
            assertThat(result.expectedDowntimeMs()).isLessThanOrEqualTo(100);
        } finally {
            source.abort(second); // stops the trickle before the hosts close
            target.close();
        }
    }
}
