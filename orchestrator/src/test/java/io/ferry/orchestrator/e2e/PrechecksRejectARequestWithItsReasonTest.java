package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrechecksRejectARequestWithItsReasonTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64,MID:128", "idle")
            .agent("hv-02", "", "idle", Map.of("ferry.agent.total-memory-mb", "100"))
            .agent("hv-03", "", "idle", Map.of("ferry.agent.cpu-features", "sse4_2,avx")).inventory(3, 2);

    @BeforeAll
    static void startStack() throws Exception {
        // a host that reported once, an hour ago, and never again
        stack.jdbc().update("""
                insert into hosts (host, driver, total_memory_mb, free_memory_mb, cpu_features, last_heartbeat_at, received_at)
                values ('hv-09', 'simulated', 16384, 16384, '{sse4_2,avx,avx2}', now() - interval '1 hour',
                        now() - interval '1 hour')""");
    }

    @ParameterizedTest(name = "{0} -> {1}: {3}")
    @CsvSource({
            "NOPE,    hv-02, 404, VM_NOT_FOUND,        is not running on any host",
            "SERVER2, hv-01, 400, SAME_HOST,           already runs on hv-01",
            "SERVER2, hv-77, 404, DESTINATION_UNKNOWN, hv-77 is unknown",
            "SERVER2, hv-09, 409, HOST_UNREACHABLE,    sent no heartbeat",
            "SERVER2, hv-03, 400, CPU_INCOMPATIBLE,    lacks CPU features [avx2]",
            "MID,     hv-02, 400, INSUFFICIENT_MEMORY, has 100 MB free but MID needs 128 MB"})
    void a_request_that_fails_a_precheck_is_rejected_and_recorded(String vm, String destination, int status, String reason,
            String message) throws Exception {
        // given the inventory above
        String requestId = "pre-" + UUID.randomUUID();

        // when the request is submitted
        var response = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "%s", "destinationHost": "%s"}""".formatted(requestId, vm, destination));

        // then it is rejected as problem+json naming the reason, no migration exists, and the rejection is recorded
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body().get("reason").asString()).isEqualTo(reason);
        assertThat(response.body().get("detail").asString()).contains(message);
        assertThat(stack.stateOf(requestId)).isNull();
        assertThat(stack.jdbc().queryForObject("select reason from request_rejections where request_id = ?", String.class,
                requestId)).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0} with no destination: NO_DESTINATION")
    @CsvSource("MID")
    void a_request_without_a_destination_that_no_host_can_take_is_refused_naming_each_host(String vm) throws Exception {
        // given the inventory above: MID (128 MB) runs on hv-01; hv-02 has 100 MB, hv-03 lacks avx2, hv-09 is silent
        String requestId = "nowhere-" + UUID.randomUUID();

        // when it is submitted without a destination
        var response = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "%s"}""".formatted(requestId, vm));

        // then it is refused, and the answer says why each host could not take it
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.body().get("reason").asString()).isEqualTo("NO_DESTINATION");
        assertThat(response.body().get("detail").asString()).contains("no host can take MID (128 MB)")
                .contains("hv-01: it is where MID runs now").contains("hv-02: 100 MB free, MID needs 128 MB")
                .contains("hv-03: it lacks CPU features [avx2]").contains("hv-09: no heartbeat");
        assertThat(stack.stateOf(requestId)).isNull();
    }

    @ParameterizedTest(name = "a VM already migrating")
    @CsvSource("SERVER2")
    void a_vm_already_migrating_is_refused(String vm) throws Exception {
        // given a slow migration of the VM under way
        String first = "busy-" + UUID.randomUUID();
        var started = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "%s", "destinationHost": "hv-02", "bandwidthMbps": 5}""".formatted(first, vm));
        assertThat(started.status()).isEqualTo(202);
        // whose skeleton already holds the destination's memory, as hv-02's heartbeat reports (so the VM would not fit
        // there again: the answer must still be that it is migrating, not a capacity check that depends on timing)
        FerryStack.await("hv-02 to report the skeleton's memory", Duration.ofSeconds(60), () -> stack.jdbc().queryForObject(
                "select free_memory_mb from hosts where host = 'hv-02'", Long.class) < 64);

        // when another request for the same VM arrives
        var second = stack.post("/api/migrations", """
                {"requestId": "busy-%s", "vmId": "%s", "destinationHost": "hv-02"}""".formatted(UUID.randomUUID(), vm));

        // then it is refused, and the first one is left alone (here: cancelled to clean up)
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body().get("reason").asString()).isEqualTo("VM_ALREADY_MIGRATING");
        stack.post("/api/migrations/" + started.body().get("migrationId").asString() + "/cancel", "{}");
        FerryStack.await("the cancel", Duration.ofSeconds(60), () -> "CANCELLED".equals(stack.stateOf(first)));
    }
}
