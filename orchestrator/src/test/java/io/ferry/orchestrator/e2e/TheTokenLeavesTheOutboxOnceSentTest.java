package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TheTokenLeavesTheOutboxOnceSentTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void after_a_migration_the_outbox_keeps_no_payload_and_no_token() throws Exception {
        // given a migration that completed, its commands (data-channel tokens among them) all sent
        FerryStack.Response accepted = stack.post("/api/migrations", """
                {"requestId": "token-1", "vmId": "SERVER2", "destinationHost": "hv-02"}""");
        assertThat(accepted.status()).isEqualTo(202);
        String migrationId = accepted.body().path("migrationId").asString();
        FerryStack.await("the migration to complete", Duration.ofSeconds(90),
                () -> "COMPLETED".equals(stack.stateOf("token-1")));

        // when the outbox has published everything
        FerryStack.await("the outbox to be published", Duration.ofSeconds(30), () -> stack.jdbc().queryForObject(
                "select count(*) from outbox where published_at is null", Integer.class) == 0);

        // then it still lists what it sent to the hosts, but none of the bytes
        assertThat(stack.jdbc().queryForObject("select count(*) from outbox where topic like 'ferry.agent-commands.%'",
                Integer.class)).isPositive();
        assertThat(stack.jdbc().queryForObject("select count(*) from outbox where length(payload) > 0", Integer.class))
                .isZero();
        assertThat(stack.jdbc().queryForObject("select count(*) from outbox where payload_size > 0", Integer.class))
                .isPositive();
        // and so not the migration's data-channel token in particular
        assertThat(stack.jdbc().queryForObject("select count(*) from outbox where position(convert_to(?, 'UTF8') in "
                + "payload) > 0", Integer.class, token(migrationId))).isZero();
    }

    /** As the orchestrator derives it (DataTokens): HMAC-SHA256 of the migration id under the shared secret. */
    private static String token(String migrationId) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(FerryStack.DATA_TOKEN_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(migrationId.getBytes(StandardCharsets.UTF_8)));
    }
}
