package io.ferry.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka 4.1 cluster (one process that is both broker and KRaft controller) running
 * inside this JVM. It formats its own storage, so no Kafka distribution or shell script is needed.
 *
 * <p>The broker port is fixed for the node's lifetime so that {@link #restart()} comes back at the same
 * bootstrap address, as a real broker restart would; clients simply reconnect.
 */
public final class KafkaNode implements AutoCloseable {

    /** How long start/restart may take before we give up (typically ~1-2 s). */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOCK_FILE = "ferry-kafka.lock";

    private final Path dataDir;
    private final int port;
    /** The address the broker listener binds and advertises (the controller listener stays on 127.0.0.1). */
    private final String host;
    private final boolean deleteDataDirOnClose;
    private final SaslPlain sasl; // null: a plaintext listener without authentication
    private int controllerPort;
    private KafkaRaftServer server;
    private DataDirLock lock;
    private boolean closed;

    private KafkaNode(Path dataDir, int port, String host, boolean deleteDataDirOnClose, SaslPlain sasl) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port;
        this.host = host;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.sasl = sasl;
    }

    /**
     * Starts a node whose data lives in dataDir (kept on {@link #close()}); port 0 picks a free port.
     * Returns once a metadata request answers.
     */
    public static KafkaNode start(Path dataDir, int port) {
        return start(dataDir, port, KafkaNodeConfig.HOST);
    }

    /** @param pick chooses the port when {@code port} is 0 (again when the one it chose was taken before the bind) */
    static KafkaNode start(Path dataDir, int port, java.util.function.IntSupplier pick) {
        return startOn(validPort(port), pick, p -> new KafkaNode(dataDir, p, KafkaNodeConfig.HOST, false, null));
    }

    /**
     * Like {@link #start(Path, int)}, with the broker listening on and advertising {@code host} instead of 127.0.0.1:
     * an address of this machine that clients in other network namespaces reach (a bridge's, say).
     */
    public static KafkaNode start(Path dataDir, int port, String host) {
        return startOn(validPort(port), Ports::freePort, p -> new KafkaNode(dataDir, p, host, false, null));
    }

    /** Like {@link #start}, in a fresh temporary directory that {@link #close()} deletes. */
    public static KafkaNode startTemporary(int port) {
        return startTemporary(port, null);
    }

    /** Like {@link #startTemporary(int)}, with a listener that requires SASL/PLAIN as {@code sasl} (null: none). */
    public static KafkaNode startTemporary(int port, SaslPlain sasl) {
        Path dir = Directories.createTemp("ferry-kafka-");
        try {
            return startOn(validPort(port), Ports::freePort, p -> new KafkaNode(dir, p, KafkaNodeConfig.HOST, true, sasl));
        } catch (RuntimeException e) {
            Directories.deleteRecursively(dir);
            throw e;
        }
    }

    /** What a client needs besides the bootstrap address: the SASL login, or nothing for a plaintext node. */
    public Map<String, Object> clientProperties() {
        return sasl == null ? Map.of() : sasl.clientProperties();
    }

    /** "HOST:PORT" (127.0.0.1 unless started on another address), the address the broker advertises. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Clean shutdown (partition logs flushed); the data dir is kept so {@link #restart()} can resume. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long started = System.nanoTime();
        KafkaRaftServer stopping = server;
        server = null;
        try {
            stopping.shutdown();
            stopping.awaitShutdown();
        } catch (RuntimeException e) {
            throw new DevstackException("Kafka on port " + port + " did not shut down cleanly: " + e.getMessage()
                    + "; its data in " + dataDir + " may need log recovery on the next start", e);
        } finally {
            releaseLock();
        }
        log().info("Kafka at {} stopped in {} ms", bootstrapServers(), millisSince(started));
    }

    /** Stops the node if running, then starts it again on the same port with the same data. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("this KafkaNode was closed; start a new one instead of restarting it");
        }
        stop();
        startServer();
    }

    /** Stops the node; deletes the data dir only if it came from {@link #startTemporary(int)}. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            if (deleteDataDirOnClose) {
                Directories.deleteRecursively(dataDir);
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaNode[" + bootstrapServers() + ", data " + dataDir + (isRunning() ? "" : ", stopped") + "]";
    }

    private synchronized void startServer() {
        long started = System.nanoTime();
        if (!Ports.isFree(port)) {
            throw new DevstackException("could not start Kafka on port " + port
                    + ": address in use; free it or choose another port (0 picks a free one)");
        }
        // The controller listener is internal to this node; reuse the previous port when we can,
        // but a static voter set lets it move if something else took it meanwhile.
        // The broker's port was picked free but is not bound yet, so a free pick can hand it out again: never take it.
        while (controllerPort == 0 || controllerPort == port || !Ports.isFree(controllerPort)) {
            controllerPort = Ports.freePort();
        }
        lock = DataDirLock.acquire(dataDir, LOCK_FILE, "Kafka node");
        try {
            KafkaStorage.formatIfNeeded(KafkaNodeConfig.logDir(dataDir));
        } catch (RuntimeException e) {
            releaseLock();
            throw e;
        }
        Map<String, Object> props = KafkaNodeConfig.properties(dataDir, host, port, controllerPort);
        if (sasl != null) {
            props.put("listener.security.protocol.map", KafkaNodeConfig.BROKER_LISTENER + ":SASL_PLAINTEXT,"
                    + KafkaNodeConfig.CONTROLLER_LISTENER + ":PLAINTEXT");
            props.putAll(sasl.brokerProperties(KafkaNodeConfig.BROKER_LISTENER));
        }
        KafkaRaftServer candidate = null;
        try {
            candidate = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            // Blocks until the controller is elected and the broker has registered and been unfenced.
            candidate.startup();
            KafkaReadiness.await(bootstrapServers(), clientProperties(), STARTUP_TIMEOUT);
        } catch (RuntimeException e) {
            shutdownQuietly(candidate);
            releaseLock();
            throw new DevstackException("could not start Kafka on port " + port + " with data in " + dataDir
                    + ": " + describe(e) + "; if the data dir comes from another Kafka version or cluster, delete it", e);
        }
        server = candidate;
        log().info("Kafka 4.1 (KRaft, broker+controller) ready at {} in {} ms, data in {}",
                bootstrapServers(), millisSince(started), dataDir);
    }

    private void releaseLock() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    private static void shutdownQuietly(KafkaRaftServer candidate) {
        if (candidate == null) {
            return;
        }
        try {
            candidate.shutdown();
            candidate.awaitShutdown();
        } catch (RuntimeException suppressed) {
            log().debug("ignoring error while cleaning up a Kafka node that failed to start", suppressed);
        }
    }

    private static int validPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Kafka port must be 0 (pick a free one) or 1-65535, was " + port);
        }
        return port;
    }

    /**
     * A KRaft broker advertises its listener's port, so it cannot bind port 0 and tell clients afterwards: a port
     * picked free is tried, and another one picked when something took it before the broker bound it.
     */
    private static KafkaNode startOn(int port, java.util.function.IntSupplier pick,
            java.util.function.IntFunction<KafkaNode> node) {
        if (port != 0) {
            KafkaNode fixed = node.apply(port);
            fixed.startServer();
            return fixed;
        }
        return Ports.startOnFreePort("Kafka", pick, p -> {
            KafkaNode candidate = node.apply(p);
            candidate.startServer();
            return candidate;
        });
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage();
        if (root != e) {
            message += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return message;
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** Looked up lazily so {@link #main} can point logback at its config before any logger exists. */
    private static Logger log() {
        return LoggerFactory.getLogger(KafkaNode.class);
    }

    /**
     * Runs a node as its own process: {@code --data-dir DIR --port N}. Prints {@code KAFKA_READY <bootstrap>}
     * on stdout once clients can connect, and shuts down cleanly on SIGTERM/SIGINT.
     */
    public static void main(String[] args) {
        KafkaNodeMain.Options options;
        try {
            options = KafkaNodeMain.Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kafka-node: " + e.getMessage());
            System.err.println(KafkaNodeMain.USAGE);
            System.exit(2);
            return;
        }
        KafkaNodeMain.quietLogging();
        KafkaNode node;
        try {
            node = start(options.dataDir(), options.port());
        } catch (RuntimeException e) {
            System.err.println("kafka-node: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } finally {
                stopped.countDown();
            }
        }, "kafka-node-shutdown"));
        System.out.println("KAFKA_READY " + node.bootstrapServers());
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
