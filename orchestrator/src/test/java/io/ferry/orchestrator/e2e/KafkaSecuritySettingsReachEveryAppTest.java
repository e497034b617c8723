package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.devstack.KafkaClusters;
import io.ferry.devstack.SaslPlain;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against a broker that requires SASL, the orchestrator and agents log in with Spring's Kafka settings. */
class KafkaSecuritySettingsReachEveryAppTest {
    private static final SaslPlain LOGIN = new SaslPlain("ferry", "kafka-" + UUID.randomUUID());
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().kafka(() -> KafkaClusters.saslForTests(LOGIN), Map.of(
                    "spring.kafka.security.protocol", "SASL_PLAINTEXT",
                    "spring.kafka.properties.sasl.mechanism", "PLAIN",
                    "spring.kafka.properties.sasl.jaas.config", (String) LOGIN.clientProperties().get("sasl.jaas.config")))
            .agent("hv-01", "SERVER2:64", "idle").agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void a_migration_completes_over_an_authenticated_broker_that_refuses_anonymous_clients() throws Exception {
        // given a broker whose only listener requires SASL (the agents' heartbeats already came through it)
        // when an operator submits a migration
        String requestId = "sasl-" + UUID.randomUUID();
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02"}""".formatted(requestId));

        // then the commands, outcomes and events all flow and it completes
        assertThat(submitted.status()).isEqualTo(202);
        FerryStack.await("the migration to complete", Duration.ofSeconds(60), () -> "COMPLETED".equals(stack.stateOf(requestId)));

        // and a client without the login is refused by the broker
        try (Admin anonymous = Admin.create(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers(),
                "request.timeout.ms", 3000, "default.api.timeout.ms", 5000))) {
            assertThatThrownBy(() -> anonymous.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
        }
    }
}
