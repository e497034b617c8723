package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestRefusesWhatTheTopicRefusesNamingTheFieldTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a misspelt field      | \"bandwithMbps\": 5     | bandwithMbps  | unknown field(s) [bandwithMbps]",
            "a fraction for an int | \"bandwidthMbps\": 1.5  | bandwidthMbps | must be an integer, got 1.5",
            "a string for a number | \"maxDowntimeMs\": \"9\" | maxDowntimeMs | must be an integer, got \"9\""})
    void a_bad_field_is_a_400_naming_it(String what, String field, String named, String message) throws Exception {
        // when a request with a bad field is submitted on REST
        var response = stack.post("/api/migrations", """
                {"vmId": "SERVER2", "destinationHost": "hv-02", %s}""".formatted(field));

        // then it is refused as problem+json naming the field, as the topic would refuse it
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("reason").asString()).isEqualTo("MALFORMED");
        assertThat(response.body().get("field").asString()).isEqualTo(named);
        assertThat(response.body().get("detail").asString()).contains(message);
    }

    @Test
    void bad_json_is_a_400_with_the_parsers_reason_and_where() throws Exception {
        var response = stack.post("/api/migrations", "{\"vmId\": \"SERVER2\", \"destinationHost\": hv-02}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("detail").asString()).contains("not valid JSON: Unrecognized token 'hv'")
                .contains("(at line 1, column 40)");
    }

    @Test
    void an_unknown_state_filter_is_a_400_naming_the_states() throws Exception {
        var response = stack.get("/api/migrations?state=RUNNNING");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("detail").asString()).contains("state 'RUNNNING' is not one of [QUEUED, SETUP,")
                .contains("COMPLETED");
        assertThat(stack.get("/api/migrations?state=precopy").status()).isEqualTo(200);
    }

    @Test
    void a_filter_with_a_control_character_is_a_400_naming_it_not_a_500() throws Exception {
        var response = stack.get("/api/migrations?vmId=SER%00VER2");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("detail").asString()).contains("vmId holds the control character U+0000");
    }

    @Test
    void bad_json_on_another_endpoint_is_a_400_with_the_parsers_reason_too() throws Exception {
        var response = stack.post("/api/replay", "{\"migrationId\": }");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("detail").asString()).startsWith("the body is not valid JSON: Unexpected character")
                .contains("(at line 1, column 17)");
    }
}
