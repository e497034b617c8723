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
    void the_larger_agent_of_the_worst_run_is_held_to_1_3_times_the_vms_memory_and_qemu_alone_has_no_agent() {
        // given two idle runs, the second's destination at 1.4 GiB for a 1 GiB VM, and QEMU alone without agents
        List<Run> runs = List.of(run("idle-1g", 1, GIB, GIB, GIB / 2), run("idle-1g", 2, GIB, GIB, GIB * 14 / 10),
                Runs.completed(Scenario.QEMU_ALONE, 1, "\"totalMs\":1000,\"memoryBytes\":268435456"));

        // when judged
        List<Targets.Target> targets = Targets.judge(runs, Double.NaN);

        // then idle-1g misses at 1.4, and QEMU alone gets no memory target
        Targets.Target t = Runs.target(targets, 7, "agent peak RSS vs VM memory", "idle-1g");
        assertThat(t.measured()).isEqualTo(GIB * 14 / 10);
        assertThat(t.ratio()).isCloseTo(1.4, within(0.001));
        assertThat(t.verdict()).isEqualTo(Targets.Verdict.MISSED);
        assertThat(t.aggregate()).isEqualTo("worst of 2");
        assertThat(targets).noneMatch(x -> x.point() == 7 && x.scenario().equals(Scenario.QEMU_ALONE));
    }
}
