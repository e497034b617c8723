package io.ferry.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaClustersForTestsGivesAFreshClusterTest {

    @Test
    void aTestClusterTakesRecordsAndCloseReleasesIt() throws Exception {
        Path inProcessDataDir;
        String bootstrap;
        // given a cluster for this test
        try (KafkaHandle kafka = KafkaClusters.forTests()) {
            bootstrap = kafka.bootstrapServers();
            // an in-process node exactly when no Docker engine answers, so tests can restart the broker
            assertThat(kafka.node().isPresent()).isEqualTo(!DockerProbe.check().available());
            inProcessDataDir = kafka.node().map(KafkaNode::dataDir).orElse(null);

            // when a record is produced, then it can be consumed
            KafkaTestClients.produce(bootstrap, new ProducerRecord<>("fresh", "k", "v"));
            assertThat(KafkaTestClients.readAll(bootstrap, "fresh", 1, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::value).containsExactly("v");
        }
        // and close() stops the broker and removes its temporary data
        String port = bootstrap.substring(bootstrap.lastIndexOf(':') + 1);
        assertThat(Ports.answers("127.0.0.1", Integer.parseInt(port), Duration.ofMillis(300))).isFalse();
        if (inProcessDataDir != null) {
            assertThat(inProcessDataDir).doesNotExist();
        }
    }
}
