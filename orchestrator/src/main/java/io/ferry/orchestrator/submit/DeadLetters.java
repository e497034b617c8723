package io.ferry.orchestrator.submit;

import io.ferry.orchestrator.outbox.Outbox;
import io.ferry.orchestrator.support.Untrusted;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parks a request record that cannot become a migration on {@value #TOPIC}: a JSON envelope with the error, where
 * the record came from, and its key, headers and value. The value is copied once, as text when it is UTF-8 text and
 * as base64 otherwise, and at most {@value #MAX_VALUE_BYTES} bytes of it ({@code valueSize} and {@code valueTruncated}
 * say how much there was), so the envelope of any record the broker accepted fits in a message again. Written
 * through the outbox, so it exists exactly when the rejection row does.
 */
@Repository
class DeadLetters {
    static final String TOPIC = io.ferry.schema.Topics.REQUESTS_DLQ;
    static final int MAX_VALUE_BYTES = 64 * 1024;
    static final int MAX_KEY_CHARS = 1024;
    static final int MAX_DETAIL_CHARS = 4096;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    private final Outbox outbox;
    private final JsonMapper json = JsonMapper.builder().build();

    DeadLetters(Outbox outbox) {
        this.outbox = outbox;
    }

    void park(ConsumerRecord<String, byte[]> record, RejectedRequestException error, Instant at) {
        ObjectNode envelope = json.createObjectNode();
        envelope.putObject("error").put("reason", error.reason().name())
                .put("detail", truncate(error.getMessage(), MAX_DETAIL_CHARS));
        envelope.putObject("source").put("topic", record.topic()).put("partition", record.partition())
                .put("offset", record.offset()).put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        envelope.put("rejectedAt", at.toString());
        String key = truncate(record.key(), MAX_KEY_CHARS);
        envelope.put("key", key);
        envelope.put("keyTruncated", key != null && key.length() < record.key().length());
        var headers = envelope.putObject("headers");
        int headerBytes = 0;
        for (var header : record.headers()) {
            byte[] value = header.value() == null ? new byte[0] : header.value();
            headerBytes += header.key().length() + value.length;
            if (headerBytes > MAX_HEADER_BYTES) {
                envelope.put("headersTruncated", true);
                break;
            }
            headers.put(header.key(), new String(value, StandardCharsets.UTF_8));
        }
        byte[] value = record.value() == null ? new byte[0] : record.value();
        envelope.put("valueSize", value.length);
        envelope.put("valueTruncated", value.length > MAX_VALUE_BYTES);
        if (isText(value)) {
            envelope.put("valueText", utf8Prefix(value, MAX_VALUE_BYTES));
        } else {
            envelope.put("valueBase64", Base64.getEncoder().encodeToString(
                    Arrays.copyOf(value, Math.min(value.length, MAX_VALUE_BYTES))));
        }
        outbox.add(TOPIC, key == null ? "" : Untrusted.forText(key), json.writeValueAsBytes(envelope), Outbox.JSON);
    }

    private static String truncate(String s, int maxChars) {
        return s == null || s.length() <= maxChars ? s : s.substring(0, maxChars);
    }

    /** The longest prefix of at most maxBytes that ends on a character boundary, as text. */
    private static String utf8Prefix(byte[] value, int maxBytes) {
        int end = Math.min(value.length, maxBytes);
        while (end < value.length && end > 0 && (value[end] & 0xC0) == 0x80) {
            end--; // value[end] continues a character that started before the cut: cut before that character
        }
        return new String(value, 0, end, StandardCharsets.UTF_8);
    }

    /** UTF-8 without control characters but tab and line breaks (JSON, say); anything else reads better as base64. */
    private static boolean isText(byte[] value) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
            return text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r');
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
