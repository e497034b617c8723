package io.ferry.devstack;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/** The readiness probe: a real client's metadata request must list at least one broker. */
final class KafkaReadiness {

    private KafkaReadiness() {
    }

    static void await(String bootstrapServers, Map<String, Object> clientProperties, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = new java.util.HashMap<>(clientProperties);
        config.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    // The admin client retries internally with a short backoff, so this is not a sleep loop.
                    Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                    // Answered, but the broker is not registered yet: poll again shortly.
                    last = new IllegalStateException("the cluster reports no brokers yet");
                    Thread.sleep(50);
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DevstackException("interrupted while waiting for Kafka at " + bootstrapServers, e);
                }
            }
        }
        throw new DevstackException("Kafka at " + bootstrapServers + " did not answer a metadata request within "
                + timeout.toSeconds() + " s" + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }
}
