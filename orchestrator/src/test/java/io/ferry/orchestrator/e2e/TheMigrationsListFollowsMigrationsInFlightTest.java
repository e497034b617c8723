package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(Chromium.Required.class)
class TheMigrationsListFollowsMigrationsInFlightTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:128", "uniform:1000")
            .agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void a_migration_submitted_elsewhere_appears_and_its_row_follows_it_to_the_end_without_a_reload() throws Exception {
        try (Chromium browser = Chromium.start()) {
            // given a viewer on the empty migrations list
            browser.open(stack.uri("/console/").toString());
            browser.signIn(FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD);
            browser.await("the empty list", Duration.ofSeconds(20), d -> browser.text("[data-test=total]").startsWith("0 "));
            browser.script("window.ferryPageMarker = 'not reloaded'");

            // when an operator migrates SERVER2 over a 100 Mbit/s link (about 10 s of pre-copy) through the API
            String requestId = "listed-" + UUID.randomUUID();
            var submitted = stack.post("/api/migrations", """
                    {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "bandwidthMbps": 100}"""
                    .formatted(requestId));
            String row = "[data-test=migration-row][data-id='" + submitted.body().get("migrationId").asString() + "']";

            // then its row appears and, from the progress stream, shows it copying (the list itself has no % copied)
            browser.await("the row in pre-copy, partly copied", Duration.ofSeconds(60),
                    d -> browser.count(row + " [data-test=state].state-precopy") == 1
                            && browser.text(row + " [data-test=copied]").matches("([1-9]|[1-9]\\d)(\\.\\d)? %"));

            // and it ends completed, fully copied, on the same page
            browser.await("the row completed", Duration.ofSeconds(90),
                    d -> browser.count(row + " [data-test=state].state-completed") == 1
                            && "100 %".equals(browser.text(row + " [data-test=copied]")));
            assertThat(browser.script("return window.ferryPageMarker")).isEqualTo("not reloaded");
        }
    }
}
