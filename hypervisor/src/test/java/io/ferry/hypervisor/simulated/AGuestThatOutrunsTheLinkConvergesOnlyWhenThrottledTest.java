package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.PrecopyResult;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AGuestThatOutrunsTheLinkConvergesOnlyWhenThrottledTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 8, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    // 200 Mbit/s carries ~6,000 pages/s; the guest dirties 100,000 pages/s over its 2,048: it never converges alone.
    private static final int LINK_MBPS = 200;
    private final SimulatedHypervisor source = LoopbackHosts.running(GuestWorkload.parse("uniform:100000"));
    private final SimulatedHypervisor destination = LoopbackHosts.running(GuestWorkload.IDLE);
    private final MigrationTicket ticket = new MigrationTicket("m-1", "SERVER2", "t-1");

    @AfterEach
    void close() throws Exception {
        source.close();
        destination.close();
    }

    @Test
    void without_auto_converge_it_gives_up_with_not_converging_and_the_guest_keeps_running_on_the_source() {
        // given a migration of a guest that dirties memory faster than the link carries it
        source.boot(SPEC);
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));
        CopyPolicy policy = new CopyPolicy(50, LINK_MBPS, 3, false, Compression.NONE, 1_500);

        // when pre-copy runs without auto-converge
        List<RoundStats> rounds = new ArrayList<>();

        // then it stops once the dirty set stops shrinking, with a typed reason, never throttling the guest
        assertThatThrownBy(() -> source.precopy(ticket, policy, rounds::add))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.reason()).isEqualTo("NOT_CONVERGING"))
                .hasMessageContaining("keeps running on the source");
        assertThat(rounds).isNotEmpty().allSatisfy(r -> assertThat(r.throttlePercent()).isZero());
        assertThat(source.vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void with_auto_converge_the_guest_is_throttled_in_steps_until_what_remains_fits_the_downtime() {
        // given the same guest and link, and a request that allows auto-converge
        source.boot(SPEC);
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));
        CopyPolicy policy = new CopyPolicy(200, LINK_MBPS, 2, true, Compression.NONE, 20_000);

        // when pre-copy runs
        List<RoundStats> rounds = new ArrayList<>();
        PrecopyResult result = source.precopy(ticket, policy, rounds::add);

        // then it converged within the downtime limit, after throttling 20 % first and then in 10 % steps
        assertThat(result.expectedDowntimeMs()).isLessThanOrEqualTo(200);
        List<Integer> throttles = rounds.stream().map(RoundStats::throttlePercent).filter(t -> t > 0).distinct().toList();
        assertThat(throttles).isNotEmpty().startsWith(Precopy.THROTTLE_FIRST);
        for (int i = 1; i < throttles.size(); i++) {
            assertThat(throttles.get(i)).isEqualTo(Math.min(Precopy.THROTTLE_MAX, throttles.get(i - 1) + Precopy.THROTTLE_STEP));
        }
    }
}
