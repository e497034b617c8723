package io.ferry.cli.commands;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.output.Json;
import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EveryCallCarriesBasicAuthAndSubmitSaysItIsTheCliTest {
    private static final String OPS = "Basic " + Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8));

    @Test
    void submit_sends_the_options_with_the_api_s_names_as_the_authenticated_cli() throws Exception {
        // given the API accepts a migration
        try (StubFerry api = new StubFerry().on("POST /api/migrations", 202, Fixtures.migration(ID, "QUEUED", null, null,
                null))) {

            // when an operator submits with every option
            Run run = Run.ferry(api, "submit", "--vm", "SERVER2", "--to", "hv-02", "--from", "hv-01", "--request-id",
                    "nightly-42", "--max-downtime", "50", "--bandwidth", "1000", "--max-rounds", "12", "--auto-converge",
                    "--compression", "LZ4", "--progress-timeout", "60", "--completion-timeout-per-gib", "90");

            // then one POST carried Basic auth, the CLI channel and the body in the contract's field names
            StubFerry.Received post = api.received.getFirst();
            assertThat(post.header("Authorization")).isEqualTo(OPS);
            assertThat(post.header("X-Ferry-Channel")).isEqualTo("CLI");
            assertThat(post.header("Content-Type")).isEqualTo("application/json");
            assertThat(Json.mapper().readTree(post.body())).isEqualTo(Json.mapper().readTree("""
                    {"requestId":"nightly-42","vmId":"SERVER2","destinationHost":"hv-02","sourceHost":"hv-01",
                     "maxDowntimeMs":50,"bandwidthMbps":1000,"maxRounds":12,"autoConverge":true,"compression":"LZ4",
                     "progressTimeoutS":60,"completionTimeoutPerGiBS":90}"""));
            // and the migration's id is printed with how to follow it
            assertThat(run.out()).contains("submitted migration " + ID).contains("QUEUED").contains("ferry watch " + ID);
            assertThat(run.exitCode()).isZero();
        }
    }

    @Test
    void options_left_out_are_left_out_of_the_body() throws Exception {
        // given the API accepts a migration
        try (StubFerry api = new StubFerry().on("POST /api/migrations", 202, Fixtures.migration(ID, "QUEUED", null, null,
                null))) {

            // when only the VM and destination are given
            Run.ferry(api, "submit", "--vm", "SERVER2", "--to", "hv-02");

            // then the server's defaults apply to everything else
            assertThat(Json.mapper().readTree(api.received.getFirst().body()))
                    .isEqualTo(Json.mapper().readTree("{\"vmId\":\"SERVER2\",\"destinationHost\":\"hv-02\"}"));
        }
    }

    @Test
    void reads_and_cancels_carry_basic_auth_too() throws Exception {
        // given a migration that can be cancelled
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.migration(ID, "PRECOPY", null,
                null, null)).on("POST /api/migrations/" + ID + "/cancel", 202,
                "{\"migrationId\":\"" + ID + "\",\"state\":\"CANCELLING\"}")) {

            // when an operator cancels it
            Run run = Run.ferry(api, "cancel", ID);

            // then both the lookup and the cancel were authenticated
            assertThat(api.received).extracting(r -> r.method() + " " + r.uri() + " " + r.header("Authorization"))
                    .containsExactly("GET /api/migrations/" + ID + " " + OPS, "POST /api/migrations/" + ID + "/cancel " + OPS);
            assertThat(run.out()).contains("CANCELLING");
        }
    }
}
