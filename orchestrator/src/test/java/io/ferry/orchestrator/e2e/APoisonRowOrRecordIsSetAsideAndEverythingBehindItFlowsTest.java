package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.outbox.Outbox;
import io.ferry.orchestrator.outbox.OutboxRelay;
import io.ferry.schema.Topics;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class APoisonRowOrRecordIsSetAsideAndEverythingBehindItFlowsTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void a_row_too_large_for_the_broker_is_set_aside_and_the_rows_behind_it_are_published() throws Exception {
        // given three messages in the outbox, the middle one of 1.5 MB (the broker takes at most 1 MB)
        Outbox outbox = stack.orchestrator().getBean(Outbox.class);
        stack.orchestrator().getBean(TransactionTemplate.class).executeWithoutResult(status -> {
            outbox.add(Topics.REQUESTS_DLQ, "poison-before", utf8("{\"n\": 1}"), Outbox.JSON);
            outbox.add(Topics.REQUESTS_DLQ, "poison-huge", new byte[1_500_000], Outbox.JSON);
            outbox.add(Topics.REQUESTS_DLQ, "poison-after", utf8("{\"n\": 3}"), Outbox.JSON);
        });

        // when the relay runs
        stack.orchestrator().getBean(OutboxRelay.class).wakeUp();

        // then the message behind the large one is published, and the large one is set aside with Kafka's reason
        FerryStack.await("the message behind the large one to be published", Duration.ofSeconds(60),
                () -> stack.jdbc().queryForObject("select count(*) from outbox where message_key = 'poison-after' "
                        + "and published_at is not null", Integer.class) == 1);
        Map<String, Object> huge = stack.jdbc().queryForMap("select failed_at, failure, published_at, payload_size, "
                + "length(payload) as length from outbox where message_key = 'poison-huge'");
        assertThat(huge.get("failed_at")).isNotNull();
        assertThat(huge.get("published_at")).isNull();
        assertThat((String) huge.get("failure")).startsWith("RecordTooLargeException");
        assertThat(huge).containsEntry("payload_size", 1_500_000).containsEntry("length", 0);
        // and both small ones reached the topic, in order
        assertThat(readDeadLetters(r -> r.key().startsWith("poison-"), 2)).extracting(ConsumerRecord::key)
                .containsExactly("poison-before", "poison-after");
        // and the set-aside row shows in the metrics
        FerryStack.await("ferry_outbox_set_aside to count the row", Duration.ofSeconds(10),
                () -> prometheus().lines().anyMatch(l -> l.matches("ferry_outbox_set_aside(\\{.*})? 1\\.0")));
    }

    @Test
    void a_480_kb_json_request_is_parked_with_a_bounded_copy_and_a_migration_after_it_completes() throws Exception {
        // given a JSON request of about 480 KB on the requests topic, naming no VM there is
        String huge = "huge-" + UUID.randomUUID();
        send(huge, utf8("{\"requestId\": \"" + huge + "\", \"vmId\": \"GHOST" + "x".repeat(480_000)
                + "\", \"destinationHost\": \"hv-02\"}"));

        // when a well-formed request follows it
        String good = "after-huge-" + UUID.randomUUID();
        send(good, utf8("""
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02"}""".formatted(good)));

        // then that migration completes: the control plane went on
        FerryStack.await("the request after the huge one to complete", Duration.ofSeconds(90),
                () -> "COMPLETED".equals(stack.stateOf(good)));
        // and the huge one is on the dead-letter topic, its copy cut to 64 KiB and its size told
        List<ConsumerRecord<String, String>> parked = readDeadLetters(r -> huge.equals(r.key()), 1);
        assertThat(parked).hasSize(1);
        assertThat(parked.getFirst().value().length()).isLessThan(100_000);
        JsonNode envelope = JsonMapper.builder().build().readTree(parked.getFirst().value());
        assertThat(envelope.get("valueTruncated").asBoolean()).isTrue();
        assertThat(envelope.get("valueSize").asInt()).isGreaterThan(480_000);
        assertThat(envelope.get("valueText").asString()).startsWith("{\"requestId\": \"" + huge);
        assertThat(stack.jdbc().queryForObject("select count(*) from outbox where failed_at is not null "
                + "and message_key = ?", Integer.class, huge)).isZero();
    }

    private static String prometheus() {
        try {
            return stack.get("/actuator/prometheus").text();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void send(String key, byte[] value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<>(Topics.REQUESTS, key, value);
            record.headers().add("content-type", utf8("application/json"));
            producer.send(record).get();
        }
    }

    private static List<ConsumerRecord<String, String>> readDeadLetters(
            java.util.function.Predicate<ConsumerRecord<String, String>> wanted, int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers(),
                "group.id", "dlq-reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.REQUESTS_DLQ));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (wanted.test(r)) {
                        out.add(r);
                    }
                });
            }
        }
        return out;
    }
}
