package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker that delivers everything twice: a side consumer copies every request, stage command and agent outcome
 * back onto its topic (same key, value and headers), so each reaches its consumer twice.
 */
class EveryMessageDeliveredTwiceChangesNothingTest {
    private static final Pattern DUPLICATED = Pattern.compile(
            "ferry\\.(migration-requests|agent-outcomes|agent-commands\\..*)");
    private static final String COPY_HEADER = "ferry-test-copy";
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", 2_000)
            .agent("hv-02", "", 2_000).inventory(2, 1);
    private static final AtomicBoolean running = new AtomicBoolean(true);
    private static final AtomicInteger copied = new AtomicInteger();
    private static final AtomicBoolean joined = new AtomicBoolean();
    private static Thread duplicator;

    @BeforeAll
    static void startDuplicator() throws Exception {
        duplicator = Thread.ofPlatform().name("duplicator").start(EveryMessageDeliveredTwiceChangesNothingTest::duplicate);
        // the duplicator's group has its partitions before anything is sent (a busy machine may take a while)
        FerryStack.await("the duplicator to join its group", Duration.ofSeconds(60), joined::get);
    }

    private static void duplicate() {
        String bootstrap = stack.kafka().bootstrapServers();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "group.id", "duplicator-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "metadata.max.age.ms", "300"), new StringDeserializer(), new ByteArrayDeserializer());
                var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                        new StringSerializer(), new ByteArraySerializer())) {
            consumer.subscribe(DUPLICATED);
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(50));
                joined.compareAndSet(false, !consumer.assignment().isEmpty());
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (record.headers().lastHeader(COPY_HEADER) != null) {
                        continue;
                    }
                    var copy = new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value(),
                            record.headers());
                    copy.headers().add(COPY_HEADER, new byte[] {1});
                    producer.send(copy);
                    copied.incrementAndGet();
                }
            }
        }
    }

    @AfterAll
    static void stopDuplicator() throws InterruptedException {
        running.set(false);
        if (duplicator != null) {
            duplicator.join(5_000);
        }
    }

    @Test
    void a_migration_whose_every_message_arrives_twice_runs_once_and_completes() throws Exception {
        // given a broker that delivers every request, command and outcome twice
        int copiesBefore = copied.get();

        // when a client submits a migration to the requests topic
        String requestId = "twice-" + UUID.randomUUID();
        new TopicRecords(stack).sendRequest(requestId, "SERVER2", "hv-02", "dup-test");

        // then it completes as one migration
        FerryStack.await("the migration to complete", Duration.ofSeconds(120), () -> "COMPLETED".equals(stack.stateOf(requestId)));
        assertThat(stack.jdbc().queryForObject("select count(*) from migrations where request_id = ?", Integer.class,
                requestId)).isEqualTo(1);
        FerryStack.await("the duplicates of the last messages", Duration.ofSeconds(60), () -> copied.get() - copiesBefore >= 20);
        // every consumer (orchestrator and agents) has read the last copies too, however slow this machine is
        FerryStack.await("every consumer group to read the last copies", Duration.ofSeconds(60),
                EveryMessageDeliveredTwiceChangesNothingTest::everyGroupCaughtUp);

        // and every action was issued exactly once and every outcome recorded once, in contiguous versions
        String migrationId = stack.jdbc().queryForObject("select migration_id::text from migrations where request_id = ?",
                String.class, requestId);
        List<String> actions = stack.jdbc().queryForList("select payload_json->>'action' from migration_events "
                + "where migration_id = ?::uuid and type = 'StageCommandIssued' order by version", String.class, migrationId);
        assertThat(actions).containsExactly("PREPARE_DESTINATION", "CONNECT_SOURCE", "START_PRECOPY", "FINAL_COPY",
                "RELEASE_STORAGE", "ACQUIRE_STORAGE", "RESUME", "ANNOUNCE_NETWORK", "STOP_SOURCE");
        List<String> once = List.of("MigrationRequested", "MigrationAdmitted", "SkeletonCreated", "SourceConnected",
                "PrecopyConverged", "FinalCopyCompleted", "StorageReleased", "StorageAcquired", "VmResumed",
                "NetworkAnnounced", "SourceStopped", "MigrationCompleted");
        for (String type : once) {
            assertThat(stack.jdbc().queryForObject("select count(*) from migration_events where migration_id = ?::uuid "
                    + "and type = ?", Integer.class, migrationId, type)).as(type).isEqualTo(1);
        }
        List<Integer> versions = stack.jdbc().queryForList("select version from migration_events where migration_id = "
                + "?::uuid order by version", Integer.class, migrationId);
        assertThat(versions).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, versions.size()).boxed().toList());
        assertThat(stack.jdbc().queryForObject("select count(*) from migration_events where migration_id = ?::uuid "
                + "and type in ('MigrationFailed', 'CleanupStepFailed')", Integer.class, migrationId)).isZero();
    }

    /** Whether every consumer group but the duplicator's has committed the end of each partition it reads. */
    private static boolean everyGroupCaughtUp() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()))) {
            for (var group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
                if (group.groupId().startsWith("duplicator-")) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                for (var entry : committed.entrySet()) {
                    if (entry.getValue() == null || entry.getValue().offset() < ends.get(entry.getKey()).offset()) {
                        return false;
                    }
                }
            }
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
