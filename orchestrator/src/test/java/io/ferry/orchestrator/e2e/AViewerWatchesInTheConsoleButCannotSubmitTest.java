package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

@ExtendWith(Chromium.Required.class)
class AViewerWatchesInTheConsoleButCannotSubmitTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 1);

    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "console");

    @Test
    void a_viewer_lists_and_filters_migrations_sees_the_hosts_and_is_not_offered_the_submit_form() throws Exception {
        // given SERVER2 migrated to hv-02 and back
        String there = "there-" + UUID.randomUUID();
        String back = "back-" + UUID.randomUUID();
        stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02"}""".formatted(there));
        FerryStack.await("SERVER2 on hv-02", Duration.ofSeconds(60), () -> "COMPLETED".equals(stack.stateOf(there)));
        stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-01"}""".formatted(back));
        FerryStack.await("SERVER2 back on hv-01", Duration.ofSeconds(60), () -> "COMPLETED".equals(stack.stateOf(back)));

        try (Chromium browser = Chromium.start()) {
            // when a viewer signs in, mistyping the password first
            browser.open(stack.uri("/console/").toString());
            browser.submitSignIn(FerryStack.VIEWER, "not-the-password");
            browser.await("the form saying the password is wrong", Duration.ofSeconds(20),
                    d -> "Wrong user or password.".equals(browser.text("[data-test=login-message]")));
            browser.signIn(FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD);

            // then the list shows both migrations, and the submit form is disabled, saying why
            browser.await("two migrations listed", Duration.ofSeconds(20),
                    d -> browser.all("[data-test=migration-row]").size() == 2);
            assertThat(browser.all("[data-test=submit-form] fieldset[disabled]")).hasSize(1);
            assertThat(browser.find("submit-disabled").getText()).contains("OPERATOR").contains(FerryStack.VIEWER);
            browser.screenshot(SCREENSHOTS.resolve("list.png"));

            // and each filter narrows the list, kept in the address
            browser.find("filter-requestId").sendKeys(there);
            browser.find("filters").submit();
            browser.await("only the first migration", Duration.ofSeconds(20),
                    d -> d.getCurrentUrl().contains("requestId=" + there) && browser.all("[data-test=migration-row]").size() == 1);
            new org.openqa.selenium.support.ui.Select(browser.find("filter-outcome")).selectByValue("ROLLED_BACK");
            browser.find("filters").submit();
            browser.await("no rolled-back migration", Duration.ofSeconds(20),
                    d -> browser.all("[data-test=migration-row]").isEmpty() && browser.find("total").getText().startsWith("0 "));

            // and the hosts page shows each host's mode, its VMs and that it was never drained
            browser.find("nav-hosts").click();
            WebElement hv01 = browser.await("hv-01 with SERVER2", Duration.ofSeconds(20), d -> {
                var found = d.findElements(By.cssSelector("[data-test=host][data-host=hv-01]"));
                return found.isEmpty() || found.getFirst().findElements(By.cssSelector("[data-test=host-vm]")).isEmpty()
                        ? null : found.getFirst();
            });
            assertThat(hv01.findElement(By.cssSelector("[data-test=mode]")).getText()).isEqualTo("ACTIVE");
            assertThat(hv01.findElement(By.cssSelector("[data-test=host-vm]")).getText()).contains("SERVER2");
            assertThat(hv01.findElement(By.cssSelector("[data-test=drain]")).getText()).isEqualTo("never drained");
            assertThat(browser.all("[data-test=host][data-host=hv-02] [data-test=host-vm]")).isEmpty();
            browser.screenshot(SCREENSHOTS.resolve("hosts.png"));
        }
    }
}
