package io.ferry.cli.commands.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchingADrainShowsVmsDoneBytesAndEtaUntilItEndsTest {
    private static final String ID = "542ae06e-866c-40d0-a6c6-e400e6aaf9a7";

    private static String drain(String status, int done, int moved, int running, long bytes, long etaMs, String summary) {
        return """
                {"drainId": "%s", "host": "hv-01", "status": "%s", "hostMode": "DRAINING", "cancelling": false,
                 "elapsedMs": 5600, "etaMs": %d, "bytesSent": %d, "summary": %s,
                 "vms": {"total": 2, "done": %d, "moved": %d, "failed": 0, "left": 0, "running": %d, "waiting": %d},
                 "moves": [{"order": 1, "vmId": "BIG", "memoryMb": 1024, "destination": "hv-02", "status": "MOVED",
                            "migrationState": "COMPLETED", "predictedMs": 3000},
                           {"order": 2, "vmId": "SMALL", "memoryMb": 64, "destination": "hv-03", "status": "%s",
                            "migrationState": "PRECOPY", "predictedMs": 1000}]}"""
                .formatted(ID, status, etaMs, bytes, summary == null ? "null" : "\"" + summary + "\"", done, moved,
                        running, 2 - done - running, done == 2 ? "MOVED" : "SUBMITTED");
    }

    @Test
    void the_host_drain_is_followed_from_progress_to_its_summary_and_exits_zero_when_it_completed() throws Exception {
        // given a drain of hv-01 that has moved one VM and then completes
        AtomicInteger polls = new AtomicInteger();
        try (StubFerry api = new StubFerry().on("GET /api/hosts/hv-01/drain", 200, drain("DRAINING", 1, 1, 1, 1 << 30,
                1500, null)).on("GET /api/drains/" + ID, exchange -> StubFerry.send(exchange, 200, "application/json",
                polls.incrementAndGet() < 2 ? drain("DRAINING", 1, 1, 1, 1L << 30, 1500, null)
                        : drain("COMPLETED", 2, 2, 0, (1L << 30) + (64 << 20), 0, "2 of 2 VMs moved")))) {

            // when it is watched
            Run run = Run.ferry(api, "watch", "--drain", "hv-01");

            // then each change is a line with VMs done of total, bytes sent and the ETA, then the moves and the summary
            assertThat(run.out()).contains("hv-01 DRAINING: 1/2 VMs done (1 moved, 0 failed, 0 left), 1 running, "
                    + "0 waiting, 1.00 GB sent, ETA 1.5 s");
            assertThat(run.out()).contains("hv-01 COMPLETED: 2/2 VMs done").contains("took 5.6 s")
                    .contains("SMALL").contains("2 of 2 VMs moved");
            assertThat(run.exitCode()).isZero();
        }
    }

    @Test
    void a_dry_run_prints_the_plan_and_posts_nothing() throws Exception {
        // given the server's plan for hv-01
        try (StubFerry api = new StubFerry().on("GET /api/hosts/hv-01/drain-plan", 200, """
                {"moves": [{"vmId": "BIG", "memoryMb": 1024, "destination": "hv-02", "order": 1, "predictedMs": 3000,
                            "why": "most memory free"}],
                 "unplaceable": [{"vmId": "HUGE", "reason": "hv-02: 100 MB free, HUGE needs 9000 MB"}],
                 "predictedMs": 3000, "order": "LARGEST_FIRST", "slots": 2, "speedBasis": "assumed"}""")) {

            // when the drain is dry-run
            Run run = Run.ferry(api, "drain", "hv-01", "--dry-run");

            // then the plan is printed, with what no host can take, and only the plan was asked for
            assertThat(run.out()).contains("would move 1 VM").contains("Nothing was changed").contains("BIG")
                    .contains("hv-02").contains("3.0 s").contains("no host can take HUGE: hv-02: 100 MB free");
            assertThat(api.received).extracting(r -> r.method()).containsOnly("GET");
            assertThat(run.exitCode()).isZero();
        }
    }
}
