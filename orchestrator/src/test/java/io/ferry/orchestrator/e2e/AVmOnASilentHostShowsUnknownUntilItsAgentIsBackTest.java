package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class AVmOnASilentHostShowsUnknownUntilItsAgentIsBackTest {
    // a short liveness timeout, so a silent host is judged within seconds
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .orchestrator(Map.of("ferry.orchestrator.host-liveness-timeout", "2s")).agent("hv-01", "SERVER2:64", 0)
            .agent("hv-02", "", 0).inventory(2, 1);

    @Test
    void the_vm_shows_unknown_and_its_host_unreachable_while_the_agent_is_down_and_running_once_it_is_back() throws Exception {
        // given SERVER2 reported RUNNING on hv-01
        assertThat(vm("SERVER2").get("state").asString()).isEqualTo("RUNNING");
        assertThat(host("hv-01").get("status").asString()).isEqualTo("REACHABLE");

        // when hv-01's agent dies
        stack.stopAgent("hv-01");

        // then, past the liveness timeout, the VM shows UNKNOWN (what hv-01 last said is kept apart) and hv-01 UNREACHABLE
        FerryStack.await("SERVER2 UNKNOWN", Duration.ofSeconds(30), () -> "UNKNOWN".equals(state()));
        JsonNode vm = vm("SERVER2");
        assertThat(vm.get("host").asString()).isEqualTo("hv-01");
        assertThat(vm.get("reportedState").asString()).isEqualTo("RUNNING");
        assertThat(vm.get("lastHeardAt").isNull()).isFalse();
        assertThat(host("hv-01").get("status").asString()).isEqualTo("UNREACHABLE");
        assertThat(host("hv-02").get("status").asString()).isEqualTo("REACHABLE");

        // and when hv-01's agent starts again, the VM shows what it reports: RUNNING
        stack.startAgent("hv-01", "SERVER2:64", 0);
        FerryStack.await("SERVER2 RUNNING again", Duration.ofSeconds(60), () -> "RUNNING".equals(state()));
        assertThat(host("hv-01").get("status").asString()).isEqualTo("REACHABLE");
    }

    private static String state() {
        try {
            return vm("SERVER2").get("state").asString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode vm(String vmId) throws Exception {
        var response = stack.get("/api/vms");
        assertThat(response.status()).isEqualTo(200);
        for (JsonNode vm : response.body()) {
            if (vm.get("vmId").asString().equals(vmId)) {
                return vm;
            }
        }
        throw new AssertionError(vmId + " not in " + response.text());
    }

    private static JsonNode host(String host) throws Exception {
        var response = stack.get("/api/hosts");
        for (JsonNode h : response.body()) {
            if (h.get("host").asString().equals(host)) {
                return h;
            }
        }
        throw new AssertionError(host + " not in " + response.text());
    }
}
