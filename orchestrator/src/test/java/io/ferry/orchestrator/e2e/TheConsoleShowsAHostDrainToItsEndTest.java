package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(Chromium.Required.class)
class TheConsoleShowsAHostDrainToItsEndTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "A:64,B:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 2);

    @Test
    void the_hosts_page_follows_a_drain_until_the_host_is_in_maintenance_and_its_vms_run_elsewhere() throws Exception {
        try (Chromium browser = Chromium.start()) {
            // given a viewer on the hosts page, hv-01 running A and B
            browser.open(stack.uri("/console/#/hosts").toString());
            browser.signIn(FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD);
            browser.await("A and B on hv-01", Duration.ofSeconds(20),
                    d -> browser.count("[data-host=hv-01] [data-test=host-vm]") == 2);
            assertThat(browser.text("[data-host=hv-01] [data-test=drain]")).isEqualTo("never drained");

            // when an operator drains hv-01
            var started = stack.post("/api/hosts/hv-01/drain", "");
            assertThat(started.status()).as(started.text()).isEqualTo(202);

            // then, without a reload, the page shows the drain completed, the host in maintenance and both VMs on hv-02
            // (the host's mode and the drain's status come in separate updates, so the wait is for all of them)
            browser.await("the drain shown completed and hv-01 in maintenance", Duration.ofSeconds(120),
                    d -> browser.count("[data-host=hv-01] [data-test=drain][data-status=COMPLETED]") == 1
                            && browser.count("[data-host=hv-02] [data-test=host-vm]") == 2
                            && browser.count("[data-host=hv-01] [data-test=host-vm]") == 0
                            && "MAINTENANCE".equals(browser.text("[data-host=hv-01] [data-test=mode]")));
            assertThat(browser.text("[data-host=hv-01] [data-test=drain]")).contains("2 of 2 VMs done")
                    .contains("2 moved").contains("2 of 2 VMs moved");
            assertThat(browser.count("[data-host=hv-01] [data-test=drain-move] a[href^='#/migrations/']")).isEqualTo(2);
        }
    }
}
