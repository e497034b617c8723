package io.ferry.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

class KafkaNodeServesProducersAndConsumersTest {

    @Test
    void aRecordProducedToANewTopicIsConsumedBack() throws Exception {
        // given a freshly started node and a topic created through the admin API
        try (KafkaNode node = KafkaNode.startTemporary(0);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("vm-events", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("vm-events");

            // when a record is produced
            RecordMetadata written = KafkaTestClients.produce(node.bootstrapServers(),
                    new ProducerRecord<>("vm-events", "vm-42", "migration-started"));

            // then a consumer reads it back from the partition it was written to
            List<ConsumerRecord<String, String>> read =
                    KafkaTestClients.readAll(node.bootstrapServers(), "vm-events", 1, Duration.ofSeconds(30));
            assertThat(read).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("vm-42");
                assertThat(record.value()).isEqualTo("migration-started");
                assertThat(record.partition()).isEqualTo(written.partition());
            });
            assertThat(node.bootstrapServers()).isEqualTo("127.0.0.1:" + node.port());
            assertThat(node.port()).isPositive();
        }
    }
}
