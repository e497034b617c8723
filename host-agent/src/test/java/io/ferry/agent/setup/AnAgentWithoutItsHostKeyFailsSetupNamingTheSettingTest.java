package io.ferry.agent.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.AgentProperties;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.DataTokenSeal;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnAgentWithoutItsHostKeyFailsSetupNamingTheSettingTest {
    private static final byte[] SECRET = "orchestrator-secret".getBytes(StandardCharsets.UTF_8);
    private static final String TOKEN = "the-one-time-token";

    @Test
    void the_right_key_opens_the_token_sealed_for_this_host() {
        // given hv-02's agent with the key derived for hv-02
        SealedTokens tokens = new SealedTokens(agent("hv-02", DataTokenSeal.hostKeyText("orchestrator-secret", "hv-02")));

        // when it opens its PREPARE_DESTINATION
        // then it reads the token
        assertThat(tokens.open(prepare("m-1", "hv-02"))).isEqualTo(TOKEN);
    }

    @Test
    void an_agent_without_a_key_fails_naming_the_property() {
        // given hv-02's agent started without ferry.agent.host-key
        SealedTokens tokens = new SealedTokens(agent("hv-02", null));

        // when / then its setup fails as a data-channel failure that says what to set
        assertThatThrownBy(() -> tokens.open(prepare("m-1", "hv-02")))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.reason()).isEqualTo("DATA_CHANNEL_FAILED"))
                .hasMessageContaining("ferry.agent.host-key").hasMessageContaining("FERRY_AGENT_HOST_KEY")
                .hasMessageContaining("m-1").hasMessageNotContaining(TOKEN);
    }

    @Test
    void an_agent_with_another_hosts_key_fails_naming_the_property() {
        // given hv-02's agent given hv-01's key
        SealedTokens tokens = new SealedTokens(agent("hv-02", DataTokenSeal.hostKeyText("orchestrator-secret", "hv-01")));

        // when / then
        assertThatThrownBy(() -> tokens.open(prepare("m-1", "hv-02")))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.reason()).isEqualTo("DATA_CHANNEL_FAILED"))
                .hasMessageContaining("ferry.agent.host-key").hasMessageContaining("does not open")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void a_token_sealed_for_another_host_or_migration_does_not_open() {
        // given hv-01's agent with its own key, and hv-02's command of m-1
        SealedTokens tokens = new SealedTokens(agent("hv-01", DataTokenSeal.hostKeyText("orchestrator-secret", "hv-01")));
        StageCommand forHv02 = prepare("m-1", "hv-02");
        StageCommand replayedToOtherMigration = prepare("m-1", "hv-01");
        replayedToOtherMigration.setMigrationId("m-2");

        // when / then neither opens here
        assertThatThrownBy(() -> tokens.open(forHv02)).isInstanceOf(HypervisorException.class);
        assertThatThrownBy(() -> tokens.open(replayedToOtherMigration)).isInstanceOf(HypervisorException.class);
    }

    @Test
    void a_malformed_key_stops_the_agent_at_start_naming_the_property() {
        assertThatThrownBy(() -> agent("hv-02", "not-a-key"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ferry.agent.host-key");
    }

    private static StageCommand prepare(String migrationId, String host) {
        byte[] sealed = DataTokenSeal.seal(DataTokenSeal.hostKey(SECRET, host),
                new DataTokenSeal.Binding(migrationId, host, "PREPARE_DESTINATION"), TOKEN);
        return StageCommand.newBuilder().setCommandId("c-1").setMigrationId(migrationId).setRequestId("r-1")
                .setCausationId("e-1").setIssuedAt(Instant.EPOCH).setTargetHost(host)
                .setAction(StageAction.PREPARE_DESTINATION).setVmId("SERVER2").setSourceHost("hv-01")
                .setDestinationHost("hv-02").setSealedDataToken(ByteBuffer.wrap(sealed)).build();
    }

    private static AgentProperties agent(String host, String hostKey) {
        return new AgentProperties(host, "127.0.0.1", 0, "127.0.0.1", null, null, 16_384, List.of(), 0.6, "idle", null,
                "random:0.7,text:0.2,zero:0.1", null, null, false, Duration.ofSeconds(2), List.of(), null, null, hostKey);
    }
}
