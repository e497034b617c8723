package io.ferry.cli.commands.replay;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import org.junit.jupiter.api.Test;

class AWhatIfPostsThePolicyAndSaysWhetherItWouldHaveConvergedTest {
    private static final String ANSWER = """
            {"migrationId":"%s","vmId":"SERVER2",
             "actual":{"converged":false,"failureReason":"NOT_CONVERGING","rounds":3,"totalMs":null,"downtimeMs":null,
                       "policy":{"maxDowntimeMs":50,"bandwidthMbps":200,"maxRounds":3,"autoConverge":false}},
             "asRecorded":{"policy":{"maxDowntimeMs":50,"bandwidthMbps":200,"maxRounds":3,"autoConverge":false},
                       "converges":false,"rounds":3,"totalMs":1500,"precopyMs":900,"downtimeMs":0,"throttlePercent":0,
                       "linkMbps":200.0,"why":"the round limit (3) is reached","remedies":null},
             "whatIf":{"policy":{"maxDowntimeMs":500,"bandwidthMbps":2000,"maxRounds":3,"autoConverge":true},
                       "converges":true,"rounds":5,"totalMs":2100,"precopyMs":1400,"downtimeMs":80,"throttlePercent":40,
                       "linkMbps":2000.0,"why":"after 5 rounds 300 pages are left","remedies":null},
             "guest":{"dirtyPagesPerSec":90000.0,"workingSetPages":2048.0,"usedPages":1229,"zeroPages":120,
                      "recordedLinkMbps":199.0},
             "answer":"with bandwidth 2000 Mbit/s, max downtime 500 ms, auto-converge it would have converged after 5 rounds"}
            """.formatted(ID);

    @Test
    void the_what_if_becomes_the_body_and_the_answer_sets_what_happened_beside_what_would_have() throws Exception {
        // given a migration that failed NOT_CONVERGING
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.completed(ID))
                .on("POST /api/migrations/" + ID + "/what-if", 200, ANSWER)) {

            // when it is replayed under another policy
            Run run = Run.ferry(api, "replay", ID, "--what-if", "bandwidth=2000,max-downtime=500,auto-converge=true");

            // then the policy went as the body, and the answer says what happened and what would have
            assertThat(api.received.getLast().body()).contains("\"bandwidthMbps\":2000").contains("\"maxDowntimeMs\":500")
                    .contains("\"autoConverge\":true");
            assertThat(run.out()).contains("did NOT converge (NOT_CONVERGING) after 3 rounds")
                    .contains("converges in 5 rounds, 2.1 s, pause 80 ms, throttled 40 %")
                    .contains("it would have converged after 5 rounds");
            assertThat(run.exitCode()).isZero();
        }
    }

    @Test
    void an_unknown_key_is_refused_before_asking_naming_it() throws Exception {
        // given any server
        try (StubFerry api = new StubFerry()) {

            // when the what-if names a key it does not know
            Run run = Run.ferry(api, "replay", ID, "--what-if", "bandwith=2000");

            // then it is refused with exit 2, naming the key and what is accepted
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("'bandwith'").contains("bandwidth=Mbps");
        }
    }
}
