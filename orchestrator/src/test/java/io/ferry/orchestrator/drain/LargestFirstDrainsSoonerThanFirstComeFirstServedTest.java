package io.ferry.orchestrator.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.placement.Candidate;
import io.ferry.orchestrator.placement.HostMode;
import io.ferry.orchestrator.placement.Placer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LargestFirstDrainsSoonerThanFirstComeFirstServedTest {
    private static final List<String> CPU = List.of("avx");
    private static final DrainPlanner.Speed SPEED = new DrainPlanner.Speed(1000, 10, "test");

    @Test
    void the_plan_moves_big_vms_first_spreads_them_and_predicts_a_shorter_drain_than_listed_order() {
        // given a host whose biggest VM is listed last, two roomy destinations and two slots
        List<DrainPlanner.Vm> vms = List.of(new DrainPlanner.Vm("a", 100, CPU), new DrainPlanner.Vm("b", 100, CPU),
                new DrainPlanner.Vm("c", 100, CPU), new DrainPlanner.Vm("d", 100, CPU),
                new DrainPlanner.Vm("big", 400, CPU));
        List<Candidate> hosts = List.of(new Candidate("hv-01", true, HostMode.ACTIVE, 0, 0, CPU, 0),
                new Candidate("hv-02", true, HostMode.ACTIVE, 1000, 0, CPU, 0),
                new Candidate("hv-03", true, HostMode.ACTIVE, 1000, 0, CPU, 0));
        Placer.Rules rules = new Placer.Rules(Duration.ofSeconds(15), 2);

        // when both orders are planned
        var largest = DrainPlanner.plan("hv-01", vms, hosts, rules, SPEED, 2, DrainPlanner.Order.LARGEST_FIRST);
        var listed = DrainPlanner.plan("hv-01", vms, hosts, rules, SPEED, 2, DrainPlanner.Order.AS_LISTED);

        // then largest-first starts with the big VM; each move is predicted from the speed
        assertThat(largest.moves()).extracting(DrainEvent.PlannedMove::vmId).containsExactly("big", "a", "b", "c", "d");
        assertThat(largest.moves().getFirst().predictedMs()).isEqualTo(5000);
        // and the destinations share the memory: big on one host, the small ones where most room is left
        assertThat(largest.moves()).extracting(DrainEvent.PlannedMove::destination)
                .containsExactly("hv-02", "hv-03", "hv-03", "hv-03", "hv-03");
        // and the whole drain is predicted shorter: big (5 s) beside three small ones (2 s each), the last small one
        // after big, ends at 7 s; listed order runs the small ones two by two (4 s) and big alone after them (9 s)
        assertThat(largest.predictedMs()).isEqualTo(7000);
        assertThat(listed.predictedMs()).isEqualTo(9000);
    }

    @Test
    void a_vm_no_host_can_take_is_named_with_the_reason_of_each_host() {
        // given a VM too big for every other host
        var plan = DrainPlanner.plan("hv-01", List.of(new DrainPlanner.Vm("huge", 5000, CPU)),
                List.of(new Candidate("hv-02", true, HostMode.ACTIVE, 1000, 0, CPU, 0)),
                new Placer.Rules(Duration.ofSeconds(15), 2), SPEED, 2, DrainPlanner.Order.LARGEST_FIRST);

        // then
        assertThat(plan.moves()).isEmpty();
        assertThat(plan.unplaceable()).containsExactly(new DrainPlanner.Unplaceable("huge",
                "hv-02: 1000 MB free, huge needs 5000 MB"));
    }
}
