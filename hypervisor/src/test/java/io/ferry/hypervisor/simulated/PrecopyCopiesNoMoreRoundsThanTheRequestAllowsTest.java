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

/** Without auto-converge, {@code maxRounds} is the most rounds pre-copy copies: the report never names more. */
class PrecopyCopiesNoMoreRoundsThanTheRequestAllowsTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 8, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private SimulatedHypervisor source;
    private final SimulatedHypervisor destination = LoopbackHosts.running(GuestWorkload.IDLE);
    private final MigrationTicket ticket = new MigrationTicket("m-1", "SERVER2", "t-1");

    @AfterEach
    void close() throws Exception {
        if (source != null) {
            source.close();
        }
        destination.close();
    }

    @Test
    void a_guest_still_too_fast_at_the_round_limit_gives_up_after_exactly_that_many_rounds() {
        // given a guest dirtying 100,000 pages/s over its 2,048 against a 200 Mbit/s link, and a request of 3 rounds
        // whose progress timeout is far off (so only the round limit can stop it)
        source = LoopbackHosts.running(GuestWorkload.parse("uniform:100000"));
        source.boot(SPEC);
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));
        CopyPolicy policy = new CopyPolicy(50, 200, 3, false, Compression.NONE, 20_000);

        // when pre-copy runs
        List<RoundStats> rounds = new ArrayList<>();

        // then it stops at round 3 with NOT_CONVERGING naming the limit, and the guest runs on the source
        assertThatThrownBy(() -> source.precopy(ticket, policy, rounds::add))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.reason()).isEqualTo("NOT_CONVERGING"))
                .hasMessageContaining("limit of 3 rounds (maxRounds)");
        assertThat(rounds).extracting(RoundStats::round).containsExactly(1, 2, 3);
        assertThat(source.vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void a_guest_that_converges_reports_the_round_it_converged_in_within_the_limit() {
        // given a quiet guest and a request of one round
        source = LoopbackHosts.running(GuestWorkload.IDLE);
        source.boot(SPEC);
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));

        // when pre-copy runs
        List<RoundStats> rounds = new ArrayList<>();
        PrecopyResult converged = source.precopy(ticket, new CopyPolicy(300, 0, 1, false, Compression.NONE, 20_000),
                rounds::add);

        // then it converged in round 1 and says so, as its one round report does
        assertThat(converged.rounds()).isEqualTo(1);
        assertThat(rounds).extracting(RoundStats::round).containsExactly(1);
    }
}
