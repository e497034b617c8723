package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.hypervisor.simulated.SimulatedHypervisor;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.Topics;
import io.ferry.schema.agent.AgentOutcome;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Someone who can read every command and outcome on Kafka (a plain client, no agent's key) learns the migration id and
 * the destination's data address, but not the token, and cannot get onto the data channel before or after the source.
 */
class AReaderOfTheCommandsTopicCannotTakeOverTheDataChannelTest {
    private static final VmSpec GUEST = new VmSpec("SERVER2", 64, 2, "00:15:5d:00:00:02", "/ferry/disks/SERVER2.vhdx",
            List.of("sse4_2", "avx", "avx2"));
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", 20_000)
            .agent("hv-02", "", 0);
    private static SimulatedHypervisor intruder;

    @BeforeAll
    static void startIntruder() throws Exception {
        intruder = new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(), 0.6, 0, "127.0.0.1", 0,
                "127.0.0.1"), Clock.systemUTC());
        intruder.boot(GUEST);
    }

    @AfterAll
    static void stopIntruder() throws Exception {
        if (intruder != null) {
            intruder.close();
        }
    }

    @Test
    void the_commands_do_not_reveal_the_token_and_what_they_carry_does_not_open_the_data_channel() throws Exception {
        // given an eavesdropper reading both agents' command topics and the outcomes topic from the start
        stack.awaitInventory(2, 1);
        try (var reader = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers(),
                "group.id", "eavesdropper-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            reader.subscribe(List.of(Topics.commandsFor("hv-01"), Topics.commandsFor("hv-02"), Topics.OUTCOMES));

            // when a migration of SERVER2 to hv-02 is submitted
            String requestId = "eavesdrop-" + UUID.randomUUID();
            var submit = stack.post("/api/migrations", "{\"requestId\":\"" + requestId
                    + "\",\"vmId\":\"SERVER2\",\"destinationHost\":\"hv-02\"}");
            assertThat(submit.status()).isEqualTo(202);
            String migrationId = submit.body().get("migrationId").asString();

            // and the eavesdropper, as soon as the destination's skeleton is ready, tries everything it read as token
            List<byte[]> setupCommands = new ArrayList<>();
            String dataAddress = null;
            String sourceDataHost = null;
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (dataAddress == null || setupCommands.size() < 2) {
                assertThat(Instant.now()).as("the setup commands and the skeleton's address to appear").isBefore(deadline);
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(50))) {
                    if (!migrationId.equals(record.key())) {
                        continue;
                    }
                    if (record.topic().equals(Topics.OUTCOMES)) {
                        AgentOutcome outcome = AvroCodec.of(AgentOutcome.class).decode(record.value());
                        if (outcome.getKind() == OutcomeKind.SKELETON_READY) {
                            dataAddress = outcome.getDataAddress();
                            attack(migrationId, dataAddress, setupCommands);
                        }
                    } else {
                        StageCommand command = AvroCodec.of(StageCommand.class).decode(record.value());
                        if (command.getAction() == StageAction.PREPARE_DESTINATION
                                || command.getAction() == StageAction.CONNECT_SOURCE) {
                            setupCommands.add(record.value());
                        }
                        if (command.getAction() == StageAction.PREPARE_DESTINATION) {
                            sourceDataHost = command.getSourceDataHost();
                        }
                    }
                }
            }
            attack(migrationId, dataAddress, setupCommands);

            // then the real source still moves the guest
            FerryStack.await("the migration to complete", Duration.ofSeconds(90),
                    () -> "COMPLETED".equals(stack.stateOf(requestId)));

            // and the destination was told where its source connects from, and neither setup command holds the token
            assertThat(sourceDataHost).isEqualTo("127.0.0.1");
            String token = token(migrationId);
            for (byte[] command : setupCommands) {
                String asText = new String(command, StandardCharsets.ISO_8859_1);
                assertThat(asText).doesNotContain(token)
                        .doesNotContain(new String(HexFormat.of().parseHex(token), StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** Every way the eavesdropper can read the sealed token as a token: each must be refused as not proving it. */
    private static void attack(String migrationId, String dataAddress, List<byte[]> setupCommands) {
        for (byte[] record : setupCommands) {
            ByteBuffer sealed = AvroCodec.of(StageCommand.class).decode(record).getSealedDataToken();
            assertThat(sealed).as("the setup command's sealed token").isNotNull();
            byte[] bytes = new byte[sealed.remaining()];
            sealed.duplicate().get(bytes);
            for (String guess : List.of(HexFormat.of().formatHex(bytes), Base64.getEncoder().encodeToString(bytes),
                    new String(bytes, StandardCharsets.ISO_8859_1))) {
                try {
                    intruder.connectSource(new MigrationTicket(migrationId, "SERVER2", guess), dataAddress);
                    intruder.abort(new MigrationTicket(migrationId, "SERVER2", null));
                    throw new AssertionError("the data channel admitted a connection with a token read off Kafka");
                } catch (HypervisorException e) {
                    assertThat(e.reason()).isEqualTo("DATA_CHANNEL_FAILED");
                    assertThat(e.getMessage()).contains("did not prove it holds the migration's data-channel token");
                }
            }
        }
    }

    /** The token as the orchestrator derives it: HMAC-SHA256 of the migration id under its secret, in hex. */
    private static String token(String migrationId) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(FerryStack.DATA_TOKEN_SECRET.getBytes(StandardCharsets.UTF_8),
                "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(migrationId.getBytes(StandardCharsets.UTF_8)));
    }
}
