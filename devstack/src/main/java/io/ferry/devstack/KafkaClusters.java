package io.ferry.devstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;

/** Real Kafka for tests; never a mock. */
public final class KafkaClusters {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusters.class);
    static final String CONTAINER_IMAGE = "apache/kafka:4.1.0";

    private KafkaClusters() {
    }

    /**
     * A fresh, empty single-node cluster: an {@code apache/kafka} container when a Docker engine answers,
     * otherwise an in-process {@link KafkaNode} in a temporary directory. Each call gets its own cluster.
     */
    public static KafkaHandle forTests() {
        DockerProbe.Result docker = DockerProbe.check();
        KafkaHandle handle = docker.available() ? container() : inProcess();
        LOG.info("test Kafka: {} (chosen because {})", handle.description(), docker.reason());
        return handle;
    }

    private static KafkaHandle container() {
        KafkaContainer container = new KafkaContainer(CONTAINER_IMAGE);
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            throw new DevstackException("could not start a " + CONTAINER_IMAGE + " container: " + e.getMessage()
                    + "; check `docker info`", e);
        }
        return new KafkaHandle(container.getBootstrapServers(),
                "Kafka container " + CONTAINER_IMAGE + " at " + container.getBootstrapServers(), null, container::stop);
    }

    /**
     * A real broker in this JVM whose listener requires SASL/PLAIN as {@code sasl}; clients need
     * {@link SaslPlain#clientProperties()}. Always in-process: it proves ferry's apps take Kafka security settings.
     */
    public static KafkaHandle saslForTests(SaslPlain sasl) {
        KafkaNode node = KafkaNode.startTemporary(0, sasl);
        return new KafkaHandle(node.bootstrapServers(), "in-process Kafka (KRaft, SASL/PLAIN) at "
                + node.bootstrapServers(), node, node);
    }

    private static KafkaHandle inProcess() {
        return of(KafkaNode.startTemporary(0));
    }

    /** A broker the caller started in this JVM (e.g. on a data directory of its own); closing the handle closes it. */
    public static KafkaHandle of(KafkaNode node) {
        return new KafkaHandle(node.bootstrapServers(), "in-process Kafka (KRaft) at " + node.bootstrapServers(), node,
                node);
    }
}
