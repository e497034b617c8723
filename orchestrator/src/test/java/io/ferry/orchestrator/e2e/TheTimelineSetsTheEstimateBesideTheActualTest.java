package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import java.math.BigDecimal;
import java.math.RoundingMode;
import io.ferry.testkit.FerryStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(Chromium.Required.class)
class TheTimelineSetsTheEstimateBesideTheActualTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void a_finished_migrations_estimate_stands_beside_its_actual_figures() throws Exception {
        // given a completed migration with its estimate
        String requestId = "estimated-" + UUID.randomUUID();
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02"}""".formatted(requestId));
        String id = submitted.body().get("migrationId").asString();
        FerryStack.await("the migration to complete", Duration.ofSeconds(60), () -> "COMPLETED".equals(stack.stateOf(requestId)));
        var migration = stack.get("/api/migrations/" + id).body();
        long totalMs = migration.get("totalMs").asLong();
        // recorded at request time by the orchestrator itself (every request gets one), nothing given to the page
        assertThat(migration.get("estimate").isObject()).as(migration.toString()).isTrue();
        long estimatedMs = migration.get("estimate").get("totalMs").asLong();

        try (Chromium browser = Chromium.start()) {
            // when a viewer opens its timeline
            browser.open(stack.uri("/console/#/migrations/" + id).toString());
            browser.signIn(FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD);

            // then the estimate's total, downtime, rounds and verdict stand beside the actual ones
            browser.await("the estimate beside the actual", Duration.ofSeconds(20),
                    d -> browser.count("[data-test=estimate-table]") == 1);
            assertThat(browser.texts("[data-test=estimate-table] th")).contains("estimate", "actual", "total time", "downtime",
                    "rounds", "converges");
            String actualTotal = browser.text("[data-test=estimate-total] [data-test=actual]");
            assertThat(actualTotal).isEqualTo(totalMs < 1000 ? totalMs + " ms" : seconds(totalMs));
            assertThat(browser.text("[data-test=summary]")).contains("in " + actualTotal);
            assertThat(browser.text("[data-test=estimate-total] td:not([data-test])")).isEqualTo(estimatedMs < 1000
                    ? estimatedMs + " ms" : seconds(estimatedMs));
            assertThat(browser.text("[data-test=estimate-converges]")).contains("yes").contains("right");
            assertThat(browser.count("[data-test=no-estimate]")).isZero();
            browser.screenshot(Path.of(System.getProperty("basedir", "."), "target", "console", "estimate.png"));
        }
    }

    /** What the console shows for 1-10 s: hundredths, half-up on the whole milliseconds (2,425 ms reads 2.43 s). */
    private static String seconds(long ms) {
        return BigDecimal.valueOf(ms, 3).setScale(2, RoundingMode.HALF_UP) + " s";
    }
}
