package io.ferry.cli.commands.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import org.junit.jupiter.api.Test;

/** {@code ferry drain HOST --bandwidth MBPS} caps each move: the cap goes with the drain and its dry run, checked first. */
class ADrainsBandwidthCapGoesWithItsRequestTest {

    @Test
    void the_cap_is_sent_with_the_drain_and_with_its_dry_run() throws Exception {
        // given an orchestrator that plans and starts drains
        try (StubFerry api = new StubFerry()
                .on("GET /api/hosts/hv-01/drain-plan", 200, """
                        {"moves": [], "unplaceable": [], "predictedMs": 0, "order": "LARGEST_FIRST", "slots": 2,
                         "speedBasis": "assumed"}""")
                .on("POST /api/hosts/hv-01/drain", 202, """
                        {"drainId": "542ae06e-866c-40d0-a6c6-e400e6aaf9a7", "host": "hv-01", "status": "DRAINING",
                         "hostMode": "DRAINING", "bandwidthMbps": 200, "cancelling": false, "elapsedMs": 0, "etaMs": 0,
                         "bytesSent": 0, "vms": {"total": 0, "done": 0, "moved": 0, "failed": 0, "left": 0,
                         "running": 0, "waiting": 0}, "moves": []}""")) {

            // when the drain is dry-run and then started with a cap
            Run dry = Run.ferry(api, "drain", "hv-01", "--dry-run", "--bandwidth", "200");
            Run started = Run.ferry(api, "drain", "hv-01", "--bandwidth", "200");

            // then both requests carried it
            assertThat(dry.exitCode()).as(dry.err()).isZero();
            assertThat(started.exitCode()).as(started.err()).isZero();
            assertThat(api.received).extracting(r -> r.uri()).containsExactly(
                    "/api/hosts/hv-01/drain-plan?order=LARGEST_FIRST&bandwidthMbps=200",
                    "/api/hosts/hv-01/drain?order=LARGEST_FIRST&bandwidthMbps=200");
        }
    }

    @Test
    void a_cap_that_is_not_positive_is_refused_before_asking() throws Exception {
        try (StubFerry api = new StubFerry()) {
            // when the cap is zero
            Run run = Run.ferry(api, "drain", "hv-01", "--bandwidth", "0");

            // then the CLI says so and sends nothing
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.err()).contains("--bandwidth must be a positive number of Mbit/s, got 0");
            assertThat(api.received).isEmpty();
        }
    }
}
