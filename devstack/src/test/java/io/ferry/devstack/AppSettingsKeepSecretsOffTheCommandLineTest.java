package io.ferry.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppSettingsKeepSecretsOffTheCommandLineTest {
    private static final DatabaseHandle DB = new DatabaseHandle("jdbc:postgresql://127.0.0.1:5432/ferry", "ferry", "db-pw",
            "a test database", () -> {});

    @Test
    void an_orchestrators_secrets_become_the_environment_spring_reads_and_the_rest_arguments() {
        // given an orchestrator's settings on a port of the starter's choice
        AppSettings settings = AppSettings.orchestrator(DB, "127.0.0.1:9092", "tok-123",
                AppSettings.users("ops", "ops-pw", "audit", "audit-pw")).with("server.port", "8080");

        // then the password, the users and the data-token secret are the environment only
        assertThat(settings.secrets().asEnv()).containsExactly(
                Map.entry("SPRING_DATASOURCE_PASSWORD", "db-pw"),
                Map.entry("FERRY_ORCHESTRATOR_DATA_TOKEN_SECRET", "tok-123"),
                Map.entry("FERRY_ORCHESTRATOR_USERS", "ops:ops-pw:OPERATOR,audit:audit-pw:VIEWER"));
        assertThat(settings.withoutSecrets().asArgs()).containsExactly(
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/ferry",
                "--spring.datasource.username=ferry",
                "--spring.kafka.bootstrap-servers=127.0.0.1:9092",
                "--server.port=8080");
        assertThat(settings.toString()).doesNotContain("db-pw", "ops-pw", "tok-123");
    }

    @Test
    void an_agents_host_key_is_its_one_secret_and_a_property_can_be_replaced_or_dropped() {
        // given an agent's settings
        AppSettings settings = AppSettings.agent("hv-01", "127.0.0.1:9092", Path.of("/run/shared"), Path.of("/run/hv-01"),
                "host-key").with("ferry.agent.vms", "SERVER2:64").with(Map.of("ferry.agent.host-key", "other-key"))
                .without("server.port");

        // then the host key is the one given last, in the variable the agent documents
        assertThat(settings.secrets().asEnv()).containsExactly(Map.entry("FERRY_AGENT_HOST_KEY", "other-key"));
        assertThat(settings.asArgs()).containsExactly(
                "--spring.kafka.bootstrap-servers=127.0.0.1:9092",
                "--ferry.agent.host=hv-01",
                "--ferry.agent.storage-dir=/run/shared/storage",
                "--ferry.agent.switch-dir=/run/shared/switch",
                "--ferry.agent.run-dir=/run/hv-01",
                "--ferry.agent.host-key=other-key",
                "--ferry.agent.vms=SERVER2:64");
    }
}
