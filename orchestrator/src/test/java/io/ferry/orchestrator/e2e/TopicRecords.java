package io.ferry.orchestrator.e2e;

import io.ferry.schema.AvroCodec;
import io.ferry.schema.Topics;
import io.ferry.schema.request.MigrationRequest;
import io.ferry.testkit.FerryStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Writes requests to ferry.migration-requests as clients would (Avro, or JSON as kcat), and reads the dead letters. */
final class TopicRecords {
    private final FerryStack stack;

    TopicRecords(FerryStack stack) {
        this.stack = stack;
    }

    /** Records with the same key land on the same partition, one behind the other. */
    void sendJson(String key, String json) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<>(Topics.REQUESTS, key, json.getBytes(StandardCharsets.UTF_8));
            record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }

    /** A request as a client writes it: Avro single-object encoding, keyed by its request id. */
    void sendRequest(String requestId, String vmId, String destinationHost, String requestedBy) throws Exception {
        MigrationRequest request = MigrationRequest.newBuilder().setRequestId(requestId).setVmId(vmId)
                .setDestinationHost(destinationHost).setRequestedBy(requestedBy).build();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.REQUESTS, requestId, AvroCodec.of(MigrationRequest.class).encode(request)))
                    .get();
        }
    }

    /** The first dead letter that matches, or null when none came within the timeout. */
    JsonNode deadLetter(Predicate<JsonNode> matching, Duration timeout) {
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers(),
                "group.id", "dlq-reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.REQUESTS_DLQ));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(json.readTree(r.value())));
                for (JsonNode letter : seen) {
                    if (matching.test(letter)) {
                        return letter;
                    }
                }
            }
        }
        return null;
    }
}
