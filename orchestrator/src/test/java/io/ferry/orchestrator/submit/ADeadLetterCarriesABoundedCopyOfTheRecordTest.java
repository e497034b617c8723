package io.ferry.orchestrator.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.outbox.Outbox;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ADeadLetterCarriesABoundedCopyOfTheRecordTest {
    private final List<byte[]> written = new ArrayList<>();
    private final DeadLetters deadLetters = new DeadLetters(new Outbox(null, null) {
        @Override
        public void add(String topic, String key, byte[] payload, String contentType) {
            written.add(payload);
        }
    });

    private JsonNode park(String key, byte[] value) {
        var record = new ConsumerRecord<>("ferry.migration-requests", 0, 7L, key, value);
        deadLetters.park(record, new RejectedRequestException(RejectedRequestException.Reason.MALFORMED, "too odd"),
                Instant.parse("2026-01-01T00:00:00Z"));
        return JsonMapper.builder().build().readTree(written.getLast());
    }

    @Test
    void a_480_kb_json_request_is_copied_once_and_cut_at_64_kib() {
        // given a JSON request of about 480 KB
        String json = "{\"requestId\": \"big\", \"vmId\": \"" + "é".repeat(240_000) + "\"}";
        byte[] value = json.getBytes(StandardCharsets.UTF_8);

        // when it is parked
        JsonNode envelope = park("big", value);

        // then its envelope fits in a Kafka message many times over, and says how much was left out
        assertThat(written.getLast().length).isLessThan(100_000);
        assertThat(envelope.get("valueSize").asInt()).isEqualTo(value.length);
        assertThat(envelope.get("valueTruncated").asBoolean()).isTrue();
        // and the value is there once, as text, cut on a character boundary within 64 KiB
        assertThat(envelope.has("valueBase64")).isFalse();
        String text = envelope.get("valueText").asString();
        assertThat(json).startsWith(text);
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isBetween(64 * 1024 - 1, 64 * 1024);
    }

    @Test
    void a_small_binary_record_is_copied_whole_as_base64() {
        // given a few bytes that are not text
        byte[] value = {1, 2, 3, (byte) 0xff};

        // when they are parked
        JsonNode envelope = park("garbage", value);

        // then they are there whole, and said to be whole
        assertThat(envelope.get("valueBase64").asString()).isEqualTo(Base64.getEncoder().encodeToString(value));
        assertThat(envelope.has("valueText")).isFalse();
        assertThat(envelope.get("valueTruncated").asBoolean()).isFalse();
        assertThat(envelope.get("valueSize").asInt()).isEqualTo(4);
    }

    @Test
    void a_huge_key_is_cut_too() {
        // given a record whose key alone is 600 KB
        String key = "k".repeat(600_000);

        // when it is parked
        JsonNode envelope = park(key, new byte[] {1});

        // then the envelope stays small and says the key was cut
        assertThat(written.getLast().length).isLessThan(10_000);
        assertThat(envelope.get("keyTruncated").asBoolean()).isTrue();
        assertThat(envelope.get("key").asString()).hasSize(DeadLetters.MAX_KEY_CHARS);
    }
}
