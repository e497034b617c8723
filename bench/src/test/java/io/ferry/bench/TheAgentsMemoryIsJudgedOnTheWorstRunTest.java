package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TheAgentsMemoryIsJudgedOnTheWorstRunTest {
    private static final long GIB = 1L << 30;

    private static Run run(String scenario, int attempt, long memoryBytes, long sourceRss, long destinationRss) {
        return Runs.completed(scenario, attempt, "\"totalMs\":5000,\"memoryBytes\":" + memoryBytes
                + ",\"sourcePeakRssBytes\":" + sourceRss + ",\"destinationPeakRssBytes\":" + destinationRss);
    }

    @Test
    void the_larger_agent_of_the_worst_run_is_held_to_1_3_times_the_vms_memory_for_the_simulated_driver_only() {
        // given two idle runs, the second's destination at 1.4 GiB for a 1 GiB VM, QEMU alone without agents, and
        // QEMU through ferry, whose agents hold no guest memory
        List<Run> runs = List.of(run("idle-1g", 1, GIB, GIB, GIB / 2), run("idle-1g", 2, GIB, GIB, GIB * 14 / 10),
                Runs.completed(Scenario.QEMU_ALONE, 1, "\"totalMs\":1000,\"memoryBytes\":268435456"),
                run(Scenario.QEMU_FERRY, 1, 256L << 20, 400L << 20, 400L << 20));

        // when judged
        List<Targets.Target> targets = Targets.judge(runs, Double.NaN);

        // then idle-1g misses at 1.4, and neither QEMU case gets a memory target
        Targets.Target t = Runs.target(targets, 7, "agent peak RSS vs VM memory", "idle-1g");
        assertThat(t.measured()).isEqualTo(GIB * 14 / 10);
        assertThat(t.ratio()).isCloseTo(1.4, within(0.001));
        assertThat(t.verdict()).isEqualTo(Targets.Verdict.MISSED);
        assertThat(t.aggregate()).isEqualTo("worst of 2");
        assertThat(targets).filteredOn(x -> x.point() == 7).extracting(Targets.Target::scenario).containsExactly("idle-1g");
    }
}
