package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.devstack.Databases;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs on a PostgreSQL server of its own (embedded, in a temp dir), as it stops that server's processes: never the
 * machine's shared one.
 */
class APausedDatabaseTurnsHealthDownAndCallsFailFastTest {
    @TempDir
    static Path dataDir;
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().database(() -> Databases.embedded(dataDir, 0));

    @Test
    void health_turns_down_and_a_list_call_answers_503_within_seconds_then_all_is_well_after_resume() throws Exception {
        FerryStack.await("health to be UP", Duration.ofSeconds(30), () -> status("/actuator/health", 5) == 200);
        assertThat(status("/api/migrations", 5)).isEqualTo(200);

        // given the database stops answering (its processes paused, as a frozen VM or a cut network would)
        try (PausedPostgres paused = PausedPostgres.pause(dataDir)) {
            // when health is asked, then it says DOWN within a few seconds, each answer within 3 s
            long pausedAt = System.nanoTime();
            FerryStack.await("health to say DOWN", Duration.ofSeconds(10), () -> status("/actuator/health", 3) == 503);
            assertThat(Duration.ofNanos(System.nanoTime() - pausedAt)).isLessThan(Duration.ofSeconds(10));
            Timed health = call("/actuator/health", 5);
            assertThat(health.elapsed()).isLessThan(Duration.ofSeconds(3));
            assertThat(health.response().body()).contains("\"DOWN\"").contains("PostgreSQL did not answer");

            // and a list call answers 503 with the reason within seconds instead of hanging
            Timed list = call("/api/migrations", 20);
            assertThat(list.response().statusCode()).isEqualTo(503);
            assertThat(list.elapsed()).isLessThan(Duration.ofSeconds(12));
            assertThat(list.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).contains("application/problem+json"));
            var problem = JsonMapper.builder().build().readTree(list.response().body());
            assertThat(problem.path("reason").asString()).isEqualTo("DATABASE_UNAVAILABLE");
            assertThat(problem.path("detail").asString()).contains("the database did not answer");
        }

        // then once it answers again so does the orchestrator
        FerryStack.await("health to be UP again", Duration.ofSeconds(60), () -> status("/actuator/health", 5) == 200);
        FerryStack.await("a list call to succeed again", Duration.ofSeconds(30), () -> status("/api/migrations", 10) == 200);
    }

    record Timed(HttpResponse<String> response, Duration elapsed) {}

    private static Timed call(String path, int timeoutSeconds) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.uri(path))
                    .header("Authorization", FerryStack.basic(FerryStack.OPERATOR, FerryStack.OPERATOR_PASSWORD))
                    .timeout(Duration.ofSeconds(timeoutSeconds)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** The status, or -1 when no answer came within the timeout. */
    private static int status(String path, int timeoutSeconds) {
        try {
            return call(path, timeoutSeconds).response().statusCode();
        } catch (java.net.http.HttpTimeoutException e) {
            return -1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
