package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TheIssue11SelectionRunsWhatIssue11JudgesThreeTimesTest {
    @Test
    void only_issue11_selects_its_five_scenarios_with_three_runs_each_and_no_driver_pair() {
        Bench.Options o = Bench.Options.parse(new String[] {"--only", "issue11"});

        assertThat(o.scenarios()).extracting(Scenario::name)
                .containsExactly("idle-1g", "idle-uncapped", "hotset-1g", "qemu-ferry", "qemu-alone");
        assertThat(o.repeat()).isEqualTo(3);
        assertThat(o.drivers()).isFalse();
        assertThat(o.scenarios()).filteredOn(s -> s.driver() != Scenario.Driver.SIMULATED)
                .allSatisfy(s -> assertThat(s.memoryMb()).isEqualTo(256))
                .allSatisfy(s -> assertThat(s.dirtyMb()).isEqualTo(64));
    }

    @Test
    void an_explicit_repeat_wins_and_without_only_everything_runs_once() {
        assertThat(Bench.Options.parse(new String[] {"--only", "issue11", "--repeat", "5"}).repeat()).isEqualTo(5);
        Bench.Options all = Bench.Options.parse(new String[0]);
        assertThat(all.repeat()).isEqualTo(1);
        assertThat(all.scenarios()).hasSize(12); // 8 simulated, outrun-1g, 3 QEMU
        assertThat(all.drivers()).isTrue();
    }
}
