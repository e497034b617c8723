package io.ferry.cli;

import io.ferry.schema.AvroCodec;
import io.ferry.schema.request.MigrationRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

/** One live migration of SERVER2 from hv-01 to hv-02 on an embedded stack, start to finish, then everything stops. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded stack, migrate SERVER2 from hv-01 to hv-02 live, print every stage, stop.")
final class DemoCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Mixin
    StackOptions stackOptions = new StackOptions();

    @Override
    public Integer call() throws Exception {
        System.out.println("ferry demo: starting Kafka, PostgreSQL, the orchestrator and agents hv-01, hv-02");
        try (Stack stack = Stack.start(stackOptions.toOptions("demo", 0, 0), System.out)) {
            Api api = new Api(stack.restUrl());
            String requestId = "demo-" + UUID.randomUUID();
            submit(stack, requestId);
            System.out.printf("%nsubmitted request %s to ferry.migration-requests: SERVER2 (%d MB) hv-01 -> hv-02%n%n",
                    requestId, stackOptions.memoryMb);
            JsonNode migration = follow(stack, api, requestId);
            String id = migration.path("migrationId").asString();
            printSummary(migration);
            printHistory(api.get("/api/migrations/" + id + "/history"));
            boolean completed = migration.path("state").asString().equals("COMPLETED");
            if (!completed) {
                System.out.println("\nmigration " + id + " ended " + migration.path("state").asString() + ": "
                        + migration.path("failureReason").asString("") + " - " + migration.path("failureDetail").asString(""));
            }
            System.out.println("\nstopping the stack");
            return completed ? 0 : 2;
        }
    }

    private static void submit(Stack stack, String requestId) throws Exception {
        MigrationRequest request = MigrationRequest.newBuilder().setRequestId(requestId).setVmId("SERVER2")
                .setDestinationHost(Stack.DESTINATION).setRequestedBy(System.getProperty("user.name", "demo")).build();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrap(),
                "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("ferry.migration-requests", requestId,
                    AvroCodec.of(MigrationRequest.class).encode(request))).get();
        }
    }

    /** Prints each new event of the migration as it is recorded, until it ends. */
    private static JsonNode follow(Stack stack, Api api, String requestId) throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        int printed = 0;
        String id = null;
        while (Instant.now().isBefore(deadline)) {
            stack.checkAlive();
            if (id == null) {
                JsonNode found = api.get("/api/migrations?requestId=" + requestId);
                if (found.size() > 0) {
                    id = found.get(0).path("migrationId").asString();
                    System.out.println("migration " + id);
                }
            }
            if (id != null) {
                JsonNode history = api.get("/api/migrations/" + id + "/history");
                for (; printed < history.size(); printed++) {
                    System.out.println("  " + Narration.describe(history.get(printed)));
                }
                JsonNode migration = api.get("/api/migrations/" + id);
                String state = migration.path("state").asString();
                if (state.equals("COMPLETED") || state.equals("FAILED")) {
                    return migration;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the migration did not end within " + TIMEOUT.toMinutes() + " minutes");
    }

    private static void printSummary(JsonNode m) {
        System.out.println();
        System.out.println("summary");
        System.out.printf("  state        %s%n", m.path("state").asString());
        System.out.printf("  total time   %d ms%n", m.path("totalMs").asLong());
        System.out.printf("  downtime     %d ms%n", m.path("downtimeMs").asLong());
        System.out.printf("  rounds       %d%n", m.path("rounds").asInt());
        System.out.printf("  pages sent   %,d%n", m.path("pagesSent").asLong());
        System.out.printf("  bytes sent   %,d (%.1f MiB)%n", m.path("bytesSent").asLong(), m.path("bytesSent").asLong() / 1048576.0);
    }

    private static void printHistory(JsonNode history) {
        System.out.println();
        System.out.println("audit history");
        System.out.printf("  %-4s %-24s %-22s %s%n", "ver", "recorded at", "actor", "event");
        for (JsonNode e : history) {
            System.out.printf("  %-4d %-24s %-22s %s%n", e.path("version").asInt(), e.path("recordedAt").asString(),
                    e.path("actor").asString(), e.path("type").asString());
        }
    }
}
