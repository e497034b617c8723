package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OversizedRequestBodiesAreRefusedWithTheLimitTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .orchestrator(Map.of("ferry.orchestrator.max-replay-body-size", "100KB"));

    private static String padded(int bytes) {
        return "{\"vmId\": \"SERVER2\", \"destinationHost\": \"hv-02\", \"pad\": \"" + "x".repeat(bytes) + "\"}";
    }

    @Test
    void a_migration_request_over_64_kib_gets_413_naming_the_limit() throws Exception {
        // given a migration request of 100 KB
        // when it is submitted
        FerryStack.Response response = stack.post("/api/migrations", padded(100_000));

        // then it is refused for its size, with the limit and the setting that raises it
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body().path("reason").asString()).isEqualTo("BODY_TOO_LARGE");
        assertThat(response.body().path("limitBytes").asLong()).isEqualTo(65_536);
        assertThat(response.body().path("detail").asString()).contains("65536 bytes")
                .contains("ferry.orchestrator.max-body-size");
    }

    @Test
    void a_replay_upload_over_its_limit_gets_413_also_without_a_content_length() throws Exception {
        // given an export of 200 KB, sent by a viewer in chunks (no Content-Length)
        byte[] export = padded(200_000).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(stack.uri("/api/replay"))
                .header("Authorization", FerryStack.basic(FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(export))).build();

        // when it is uploaded
        FerryStack.Response response = stack.send(request);

        // then it is refused naming the replay limit
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body().path("limitBytes").asLong()).isEqualTo(102_400);
        assertThat(response.body().path("detail").asString()).contains("ferry.orchestrator.max-replay-body-size");
    }

    @Test
    void a_body_under_the_limit_is_read_as_before() throws Exception {
        // given a small export that is not a valid one, sent in chunks
        byte[] export = "{}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(stack.uri("/api/replay"))
                .header("Authorization", FerryStack.basic(FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(export))).build();

        // when it is uploaded, then the replay reads it and says what is wrong with it
        FerryStack.Response response = stack.send(request);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("reason").asString()).isEqualTo("INVALID_EXPORT");
    }
}
