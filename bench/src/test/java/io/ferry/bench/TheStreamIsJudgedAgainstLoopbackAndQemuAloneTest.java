package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TheStreamIsJudgedAgainstLoopbackAndQemuAloneTest {
    @Test
    void round_one_of_the_idle_uncapped_run_is_divided_by_the_same_runs_loopback_and_qemu_alones_round_one() {
        // given an idle uncapped run streaming round 1 at 2 GB/s, QEMU alone's at 250 MB/s, and loopback at 3 GB/s
        Run idle = Runs.completed("idle-uncapped", 1, """
                "totalMs":3000,"downtimeMs":5,"bytesSent":600000000,"memoryBytes":1073741824,
                "precopyRound1Bytes":600000000,"precopyRound1Ms":300""");
        Run alone = Runs.completed(Scenario.QEMU_ALONE, 1, """
                "totalMs":1500,"downtimeMs":70,"bytesSent":300000000,"memoryBytes":268435456,
                "precopyRound1Bytes":250000000,"precopyRound1Ms":1000""");

        // when judged
        List<Targets.Target> targets = Targets.judge(List.of(idle, alone), 3e9);

        // then 2/3 of loopback meets >= 0.50, and 8 x QEMU's stream meets >= 1.0
        Targets.Target loopback = Runs.target(targets, 3, "round-1 stream vs raw loopback", "idle-uncapped");
        assertThat(loopback.measured()).isEqualTo(2e9);
        assertThat(loopback.ratio()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(loopback.bound()).isEqualTo(Targets.Bound.AT_LEAST);
        assertThat(loopback.verdict()).isEqualTo(Targets.Verdict.MET);
        Targets.Target qemu = Runs.target(targets, 3, "round-1 stream vs QEMU alone's", "idle-uncapped");
        assertThat(qemu.baseline()).isEqualTo(2.5e8);
        assertThat(qemu.ratio()).isCloseTo(8, within(1e-9));
        assertThat(qemu.verdict()).isEqualTo(Targets.Verdict.MET);
    }

    @Test
    void below_half_of_loopback_misses() {
        Run idle = Runs.completed("idle-uncapped", 1, """
                "totalMs":3000,"bytesSent":600000000,"memoryBytes":1073741824,
                "precopyRound1Bytes":600000000,"precopyRound1Ms":500""");

        Targets.Target t = Runs.target(Targets.judge(List.of(idle), 3e9), 3, "round-1 stream vs raw loopback", "idle-uncapped");

        assertThat(t.ratio()).isCloseTo(0.4, within(1e-9));
        assertThat(t.verdict()).isEqualTo(Targets.Verdict.MISSED);
    }
}
