package io.ferry.orchestrator.submit;

import io.ferry.orchestrator.outbox.Outbox;
import io.ferry.orchestrator.support.Untrusted;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parks a request record that cannot become a migration on {@value #TOPIC}: a JSON envelope with the error, where
 * the record came from, and its key and value unchanged (base64, plus the text when it is UTF-8). Written through
 * the outbox, so it exists exactly when the rejection row does.
 */
@Repository
class DeadLetters {
    static final String TOPIC = io.ferry.orchestrator.Topics.REQUESTS_DLQ;
    private final Outbox outbox;
    private final JsonMapper json = JsonMapper.builder().build();

    DeadLetters(Outbox outbox) {
        this.outbox = outbox;
    }

    void park(ConsumerRecord<String, byte[]> record, RejectedRequestException error, Instant at) {
        ObjectNode envelope = json.createObjectNode();
        envelope.putObject("error").put("reason", error.reason().name()).put("detail", error.getMessage());
        envelope.putObject("source").put("topic", record.topic()).put("partition", record.partition())
                .put("offset", record.offset()).put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        envelope.put("rejectedAt", at.toString());
        envelope.put("key", record.key());
        var headers = envelope.putObject("headers");
        record.headers().forEach(h -> headers.put(h.key(), new String(h.value() == null ? new byte[0] : h.value(),
                StandardCharsets.UTF_8)));
        byte[] value = record.value() == null ? new byte[0] : record.value();
        envelope.put("valueBase64", Base64.getEncoder().encodeToString(value));
        String text = utf8(value);
        if (text != null) {
            envelope.put("valueText", text);
        }
        outbox.add(TOPIC, record.key() == null ? "" : Untrusted.forText(record.key()), json.writeValueAsBytes(envelope), Outbox.JSON);
    }

    private static String utf8(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
