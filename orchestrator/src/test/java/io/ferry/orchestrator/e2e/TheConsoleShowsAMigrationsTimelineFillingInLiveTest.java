package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(Chromium.Required.class)
class TheConsoleShowsAMigrationsTimelineFillingInLiveTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:128", "uniform:1000")
            .agent("hv-02", "", "idle").inventory(2, 1);

    static final Path SCREENSHOT = Path.of(System.getProperty("basedir", "."), "target", "console", "timeline.png");

    @Test
    void an_operator_submits_from_the_console_and_watches_the_timeline_fill_in_to_the_end() throws Exception {
        try (Chromium browser = Chromium.start()) {
            // given an operator signed in to the console, reached from the orchestrator's bare address
            browser.open(stack.uri("/").toString());
            browser.signIn(FerryStack.OPERATOR, FerryStack.OPERATOR_PASSWORD);
            browser.script("window.ferryPageMarker = 'not reloaded'");

            // when they migrate SERVER2 to hv-02 over a 100 Mbit/s link (128 MB: about 10 s of pre-copy) from the form
            browser.choose("submit-vm", "SERVER2");
            browser.choose("submit-destination", "hv-02");
            browser.find("submit-bandwidth").sendKeys("100");
            browser.find("submit").click();

            // then the console shows the migration's timeline, following it live: while it is still in pre-copy its
            // stage runs on the time axis and its finished rounds are drawn
            browser.await("the timeline of the submitted migration", Duration.ofSeconds(20),
                    d -> d.getCurrentUrl().contains("#/migrations/"));
            browser.await("pre-copy running with a round drawn", Duration.ofSeconds(60),
                    d -> browser.count("[data-test=progress][data-state=PRECOPY]") == 1
                            && browser.count("rect.stage-precopy.running") == 1
                            && browser.count("[data-test=round-bar-bytes]") >= 1);
            assertThat(browser.text("[data-test=vm]")).isEqualTo("SERVER2");

            // and without a reload it comes to its end: completed, every stage on the axis, each round charted
            browser.await("the migration shown completed", Duration.ofSeconds(90),
                    d -> browser.count(".timeline-head [data-test=state].state-completed") == 1
                            && browser.count("[data-test=stage-end][data-state=COMPLETED]") == 1);
            assertThat(browser.script("return window.ferryPageMarker")).isEqualTo("not reloaded");
            assertThat(browser.attributes("[data-test=stage-bar]", "data-state"))
                    .containsSubsequence("SETUP", "PRECOPY", "FINAL_COPY", "RESUMING", "NETWORK_CLEANUP");
            int rounds = browser.count("[data-test=round-bar-bytes]");
            assertThat(rounds).isGreaterThanOrEqualTo(2);
            assertThat(browser.count("[data-test=round-bar-dirty]")).isEqualTo(rounds);
            assertThat(browser.count("[data-test=round-bar-throughput]")).isEqualTo(rounds);
            assertThat(browser.text("[data-test=summary]")).startsWith("completed").contains(rounds + " rounds");

            // and the blackout on the axis and split into its phases
            assertThat(browser.count("[data-test=blackout-band]")).isEqualTo(1);
            assertThat(browser.text("[data-test=downtime]")).matches("\\d+ ms|[\\d.]+ s");
            assertThat(browser.count("[data-test=breakdown-part]")).isGreaterThanOrEqualTo(3);

            // and the estimate against the actual, or plainly that none was recorded
            String estimate = browser.text("[data-test=estimate]");
            assertThat(estimate.contains("no estimate recorded") || estimate.contains("actual"))
                    .as("the estimate card: %s", estimate).isTrue();

            // and the audit trail: every event, who caused it
            List<String> audit = browser.texts("[data-test=audit-row]");
            assertThat(audit.size()).isGreaterThanOrEqualTo(18);
            assertThat(audit.getFirst()).contains("MigrationRequested").contains("ops");
            assertThat(audit.getLast()).contains("MigrationCompleted");
            assertThat(browser.text("[data-test=audit]")).contains("agent:hv-01").contains("agent:hv-02")
                    .contains("orchestrator:scheduler");

            browser.screenshot(SCREENSHOT);
        }
    }
}
