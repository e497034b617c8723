package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The filters of the migrations list, the audit trail and the rejections each narrow what comes back. */
class EveryListFilterNarrowsTheAnswerTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 1);
    private static final String REQUEST_ID = "filters-" + UUID.randomUUID();
    private static Instant before;
    private static Instant after;

    @BeforeAll
    static void oneCompletedMigrationAndOneRejection() throws Exception {
        before = Instant.now().minusSeconds(1);
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02"}""".formatted(REQUEST_ID));
        assertThat(submitted.status()).isEqualTo(202);
        FerryStack.await("the migration to complete", Duration.ofSeconds(60),
                () -> "COMPLETED".equals(stack.stateOf(REQUEST_ID)));
        var refused = stack.post("/api/migrations", """
                {"vmId": "NO-SUCH-VM", "destinationHost": "hv-02"}""");
        assertThat(refused.status()).isEqualTo(404);
        after = Instant.now().plusSeconds(1);
    }

    private static int total(String path) throws Exception {
        var response = stack.get(path);
        assertThat(response.status()).as(path).isEqualTo(200);
        return response.body().get("total").asInt();
    }

    @Test
    void the_migrations_list_filters_by_host_either_way_and_by_time() throws Exception {
        assertThat(total("/api/migrations?host=hv-01")).isEqualTo(1);
        assertThat(total("/api/migrations?host=hv-02")).isEqualTo(1);
        assertThat(total("/api/migrations?host=hv-03")).isZero();
        assertThat(total("/api/migrations?from=" + before + "&to=" + after)).isEqualTo(1);
        assertThat(total("/api/migrations?to=" + before)).isZero();
        assertThat(total("/api/migrations?state=completed&requestId=" + REQUEST_ID)).isEqualTo(1);
    }

    @Test
    void the_audit_filters_by_actor_type_host_and_time() throws Exception {
        assertThat(total("/api/audit?type=MigrationCompleted")).isEqualTo(1);
        assertThat(total("/api/audit?type=MigrationCompleted&host=hv-02&from=" + before)).isEqualTo(1);
        assertThat(total("/api/audit?type=MigrationCompleted&host=hv-03")).isZero();
        assertThat(total("/api/audit?actor=ops&type=MigrationRequested")).isEqualTo(1);
        assertThat(total("/api/audit?actor=nobody")).isZero();
        assertThat(total("/api/audit?from=" + after)).isZero();
    }

    @Test
    void the_rejections_filter_by_reason_and_time() throws Exception {
        assertThat(total("/api/rejections?reason=VM_NOT_FOUND")).isEqualTo(1);
        assertThat(total("/api/rejections?reason=SAME_HOST")).isZero();
        assertThat(total("/api/rejections?reason=VM_NOT_FOUND&from=" + before + "&to=" + after)).isEqualTo(1);
        assertThat(total("/api/rejections?to=" + before)).isZero();
    }
}
