package io.ferry.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaNodeRunsAsItsOwnProcessTest {

    @TempDir
    Path dataDir;

    @Test
    void theMainAnnouncesReadinessServesClientsAndStopsCleanlyOnSigterm() throws Exception {
        try (ChildJvm child = ChildJvm.start(KafkaNode.class, "--data-dir", dataDir.toString(), "--port", "0")) {
            // given a node started as its own process
            String ready = child.awaitLine("KAFKA_READY ", 90);
            String bootstrap = ready.substring("KAFKA_READY ".length()).strip();
            assertThat(bootstrap).matches("127\\.0\\.0\\.1:\\d+");

            // when a client uses it
            KafkaTestClients.produce(bootstrap, new ProducerRecord<>("from-child", "k", "v"));
            assertThat(KafkaTestClients.readAll(bootstrap, "from-child", 1, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::value).containsExactly("v");

            // then SIGTERM shuts it down cleanly, through the shutdown hook
            child.sigterm();
            assertThat(child.awaitExit(30)).as("exit code after SIGTERM").isEqualTo(128 + 15);
            assertThat(child.output()).contains("Kafka at " + bootstrap + " stopped");
            int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
            assertThat(Ports.answers("127.0.0.1", port, Duration.ofMillis(300))).isFalse();
            assertThat(dataDir.resolve("logs/meta.properties")).exists();
        }
    }
}
