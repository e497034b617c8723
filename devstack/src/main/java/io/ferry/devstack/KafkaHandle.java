package io.ferry.devstack;

import java.util.Optional;

/**
 * A Kafka cluster for one test: where to connect, how to give it back, and — when it runs in this JVM —
 * the {@link KafkaNode} itself so a test can stop and restart the broker.
 */
public final class KafkaHandle implements AutoCloseable {

    private final String bootstrapServers;
    private final String description;
    private final KafkaNode node;
    private final AutoCloseable closer;

    KafkaHandle(String bootstrapServers, String description, KafkaNode node, AutoCloseable closer) {
        this.bootstrapServers = bootstrapServers;
        this.description = description;
        this.node = node;
        this.closer = Closers.once(closer);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The in-process broker, or empty when the cluster runs in a container. */
    public Optional<KafkaNode> node() {
        return Optional.ofNullable(node);
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        Closers.close(closer, description);
    }

    @Override
    public String toString() {
        return "KafkaHandle[" + description + "]";
    }
}
