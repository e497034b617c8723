package io.ferry.devstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker + controller properties for one combined-mode KRaft node, sized for a 2-core dev box.
 * Everything binds to and advertises 127.0.0.1 so the node is reachable from the host only.
 */
final class KafkaNodeConfig {

    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String HOST = "127.0.0.1";

    private KafkaNodeConfig() {
    }

    /** Where the partition logs and the KRaft metadata log live, inside the node's data dir. */
    static Path logDir(Path dataDir) {
        return dataDir.resolve("logs");
    }

    static Map<String, Object> properties(Path dataDir, int brokerPort, int controllerPort) {
        return properties(dataDir, HOST, brokerPort, controllerPort);
    }

    /** As above with the broker listener on {@code brokerHost}; the controller listener stays on 127.0.0.1. */
    static Map<String, Object> properties(Path dataDir, String brokerHost, int brokerPort, int controllerPort) {
        Map<String, Object> p = new LinkedHashMap<>();
        // One process is both the broker and the (single-voter) controller quorum.
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        // A static voter set (kraft.version 0) rather than a dynamic one: the voter endpoint is read from
        // config on every start and never persisted, so the controller may get a different free port
        // after a restart without confusing the quorum.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + brokerHost + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + brokerHost + ":" + brokerPort);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", logDir(dataDir).toString());

        // Single node: every internal topic must be satisfiable with one replica.
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "3");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // 50 partitions per internal topic (the default) costs seconds on first use; 5 is plenty here.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        // Consumers in tests and the demo should get their partitions immediately.
        p.put("group.initial.rebalance.delay.ms", "0");
        // An offset commit is answered once its batch is flushed; Kafka 4 lets the group coordinator wait 5 ms for more
        // writes first, which every consumer's commit waited out here (8 ms a commit, 2 ms a produce, measured).
        p.put("group.coordinator.append.linger.ms", "0");

        // Keep the footprint small: few threads, small segments, a 2 MiB cleaner buffer instead of 128 MiB.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        p.put("log.segment.bytes", Integer.toString(8 * 1024 * 1024));
        // The broker is unfenced on its first heartbeat after registering; a short interval makes
        // startup and restart noticeably faster.
        p.put("broker.heartbeat.interval.ms", "500");
        // Kafka's own startup wait is unbounded by default; bound it so a stuck start fails with a message.
        p.put("server.max.startup.time.ms", "60000");
        return p;
    }
}
