package io.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.AgentConfiguration.InventoryVm;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnInventoryEntryMayNameItsOwnWorkloadTest {

    @Test
    void everything_after_the_vcpus_is_the_workload_colons_and_all() {
        // given an entry whose workload spec has colons of its own, when it is parsed
        InventoryVm vm = AgentConfiguration.parseVm("hv-01", "SERVER2:1024:2:hotset:20000:0.1:0.9");

        // then name, memory and vCPUs come first and the rest is the workload
        assertThat(vm.spec().vmId()).isEqualTo("SERVER2");
        assertThat(vm.spec().memoryMb()).isEqualTo(1024);
        assertThat(vm.spec().vcpus()).isEqualTo(2);
        assertThat(vm.workload()).isEqualTo(GuestWorkload.parse("hotset:20000:0.1:0.9"));
    }

    @Test
    void an_entry_without_a_workload_runs_the_hosts() {
        // given entries without a workload, when they are parsed, then they carry none (the host's applies)
        assertThat(AgentConfiguration.parseVm("hv-01", "SERVER2:1024").workload()).isNull();
        assertThat(AgentConfiguration.parseVm("hv-01", "SERVER2:1024:4").workload()).isNull();
        assertThat(AgentConfiguration.parseVm("hv-01", "SERVER2:1024:4").spec().vcpus()).isEqualTo(4);
    }

    @Test
    void a_bad_workload_in_an_entry_fails_naming_the_entry_and_the_spec() {
        // given an entry with a workload that is not one, when it is parsed, then it fails naming both
        assertThatThrownBy(() -> AgentConfiguration.parseVm("hv-01", "SERVER2:1024:2:turbo:5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SERVER2:1024:2:turbo:5")
                .hasMessageContaining("'turbo:5'")
                .hasMessageContaining("hotset:N[:FRACTION[:SHARE]]");
    }

    @Test
    void the_deprecated_writes_per_second_setting_still_means_uniform_writes_unless_a_workload_is_set() {
        // given agent settings with only writes-per-second, with both, and with neither
        AgentProperties old = properties(null, 5_000L);
        AgentProperties both = properties("sweep:100", 5_000L);
        AgentProperties neither = properties(null, null);

        // then writes-per-second is uniform:N, a workload wins over it, and the default is uniform:2000
        assertThat(old.workload()).isEqualTo("uniform:5000");
        assertThat(properties(null, 0L).workload()).isEqualTo("idle");
        assertThat(both.workload()).isEqualTo("sweep:100");
        assertThat(neither.workload()).isEqualTo("uniform:2000");
    }

    private static AgentProperties properties(String workload, Long writesPerSecond) {
        return new AgentProperties("hv-01", "127.0.0.1", 0, "127.0.0.1", null, null, 16_384, List.of(), 0.6, workload,
                writesPerSecond, "random:0.7,text:0.2,zero:0.1", null, null, false, Duration.ofSeconds(2), List.of(), null, null, null);
    }
}
