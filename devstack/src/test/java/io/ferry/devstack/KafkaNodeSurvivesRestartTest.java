package io.ferry.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaNodeSurvivesRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void recordsWrittenBeforeARestartAreReadableAfterItAndTheBrokerKeepsAccepting() throws Exception {
        try (KafkaNode node = KafkaNode.start(dataDir, 0)) {
            String bootstrap = node.bootstrapServers();
            // given a record acknowledged by all in-sync replicas
            KafkaTestClients.produce(bootstrap, new ProducerRecord<>("migrations", "m-1", "before-restart"));

            // when the broker is stopped and started again
            node.stop();
            assertThat(node.isRunning()).isFalse();
            assertThat(Ports.answers("127.0.0.1", node.port(), Duration.ofMillis(200))).isFalse();
            node.restart();

            // then it is back on the same address, still has the record, and takes new ones
            assertThat(node.bootstrapServers()).isEqualTo(bootstrap);
            KafkaTestClients.produce(bootstrap, new ProducerRecord<>("migrations", "m-1", "after-restart"));
            List<ConsumerRecord<String, String>> read =
                    KafkaTestClients.readAll(bootstrap, "migrations", 2, Duration.ofSeconds(30));
            assertThat(read).extracting(ConsumerRecord::value).containsExactly("before-restart", "after-restart");
        }
        // and closing a node started on a caller-owned dir keeps the data
        assertThat(dataDir.resolve("logs/meta.properties")).exists();
    }
}
