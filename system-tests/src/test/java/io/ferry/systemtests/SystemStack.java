package io.ferry.systemtests;

import io.ferry.agent.Disks;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.devstack.AppSettings;
import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import io.ferry.devstack.Directories;
import io.ferry.devstack.KafkaNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ferry as it runs in production, on one machine: a real KRaft broker in this JVM (so a test can stop and restart
 * it), a real PostgreSQL from {@link Databases#forTests()}, and the orchestrator(s) and the host agents as their own
 * JVMs from the runnable jars the reactor built. Any app can be killed with SIGKILL, stopped or started again.
 *
 * <p>Everything of a test class lives in {@code system-tests/target/system-tests/<name>/}: {@code logs/} with one
 * log per app start, the broker's data and the storage and switch directories the agents share. {@link #close()}
 * stops every process it started, and a shutdown hook does so too should the test JVM be stopped first; pid files
 * let the next run kill what a SIGKILLed test JVM left behind.
 */
final class SystemStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemStack.class);
    static final Duration STARTUP = Duration.ofSeconds(120);

    final Path runDir;
    final DatabaseHandle db;
    final KafkaNode kafka;
    final EventLog eventLog;
    private final Path orchestratorJar;
    private final Path agentJar;
    private final Map<String, AppProcess> apps = new LinkedHashMap<>();
    private final Map<String, OrchestratorApi> orchestrators = new LinkedHashMap<>();
    /** Apps a test killed or stopped on purpose: their death does not fail a wait. */
    private final List<String> deliberatelyDown = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopProcesses, "system-stack-shutdown");
    private boolean closed;

    private SystemStack(String name) {
        this(name, null, Databases::forTests);
    }

    /**
     * @param kafkaHost the address the broker listens on and advertises (null: 127.0.0.1), e.g. a bridge's that
     *     agents in network namespaces reach
     * @param database the stack's database, which must be empty
     */
    private SystemStack(String name, String kafkaHost, java.util.function.Supplier<DatabaseHandle> database) {
        Path root = Path.of(System.getProperty("ferry.system.runDir", "target/system-tests")).toAbsolutePath().normalize();
        runDir = root.resolve(name);
        AppProcess.reapLeftovers(runDir);
        Directories.deleteRecursively(runDir);
        io.ferry.hypervisor.simulated.GuestStore.wipe(guests()); // a killed earlier run's guests
        try {
            Files.createDirectories(runDir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        orchestratorJar = execJar("ferry.system.orchestratorTarget", "../orchestrator/target", "ferry-orchestrator");
        agentJar = execJar("ferry.system.agentTarget", "../host-agent/target", "ferry-host-agent");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        DatabaseHandle started = null;
        KafkaNode broker = null;
        try {
            started = database.get();
            requireEmpty(started);
            broker = kafkaHost == null ? KafkaNode.start(runDir.resolve("kafka"), 0)
                    : KafkaNode.start(runDir.resolve("kafka"), 0, kafkaHost);
        } catch (RuntimeException | Error e) {
            if (started != null) {
                started.close();
            }
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            throw e;
        }
        db = started;
        kafka = broker;
        eventLog = new EventLog(db);
        log.info("system stack {}: {} and Kafka at {}; logs in {}", name, db.description(), kafka.bootstrapServers(),
                runDir.resolve("logs"));
    }

    /** Every orchestrator's data-token secret; each agent gets the host key derived from it for its host. */
    static final String DATA_TOKEN_SECRET = "system-tests-secret";

    /** Starts the broker and the database; the apps are started by the test, each on its own. */
    static SystemStack start(Class<?> testClass) {
        return new SystemStack(testClass.getSimpleName());
    }

    /** Like {@link #start(Class)}, with the broker on {@code kafkaHost} and the database {@code database} gives. */
    static SystemStack start(Class<?> testClass, String kafkaHost, java.util.function.Supplier<DatabaseHandle> database) {
        return new SystemStack(testClass.getSimpleName(), kafkaHost, database);
    }

    /**
     * Starts an orchestrator process named {@code name} on a free REST port, against this stack's database and broker
     * (several share one consumer group). Returns its API; {@link #awaitStarted()} waits until it answers.
     */
    OrchestratorApi startOrchestrator(String name, String... extraArgs) {
        // It binds port 0 and writes the port it got (a port picked free here could be taken before it binds it).
        Path portFile = portFile(name);
        // the same secret for every orchestrator: a restarted one must mint the tokens the agents expect
        List<String> args = new ArrayList<>(AppSettings.orchestrator(db, kafka.bootstrapServers(), DATA_TOKEN_SECRET,
                OrchestratorApi.USERS).with("ferry.port-file", portFile.toString()).asArgs());
        args.addAll(List.of(extraArgs));
        launch(name, orchestratorJar, args);
        OrchestratorApi api = new OrchestratorApi(() -> "http://127.0.0.1:" + boundPort(portFile));
        orchestrators.put(name, api);
        return api;
    }

    /** Starts the host agent of {@code host} with the guests {@code vms} (NAME:MB,...), each running {@code workload}. */
    void startAgent(String host, String vms, String workload, String... extraArgs) {
        // on port 0: nothing calls an agent's HTTP port here
        List<String> args = new ArrayList<>(agentSettings(host).with("ferry.agent.vms", vms)
                .with("ferry.agent.workload", workload).with("ferry.agent.heartbeat-interval", "500ms").asArgs());
        args.addAll(List.of(extraArgs));
        launch(host, agentJar, args);
    }

    /**
     * Starts the host agent {@code host} under {@code prefix} (e.g. ip netns exec NS) with exactly {@code args}
     * besides the broker's address, the shared storage and switch directories, its host key and its run directory.
     */
    void startAgent(String host, List<String> prefix, List<String> args) {
        List<String> all = new ArrayList<>(agentSettings(host).without("server.port").asArgs());
        all.addAll(args);
        launch(host, agentJar, prefix, all);
    }

    /**
     * The agent of {@code host} on this stack's broker and shared directories, with its host key and its kept guests
     * (re-adopted by a restarted agent) apart from any other stack's hosts of the same name.
     */
    private AppSettings agentSettings(String host) {
        return AppSettings.agent(host, kafka.bootstrapServers(), runDir.resolve("shared"), guests().resolve(host),
                io.ferry.schema.DataTokenSeal.hostKeyText(DATA_TOKEN_SECRET, host));
    }

    /** Changes the arguments the app is started with next time ({@link #restart}). */
    void arguments(String name, java.util.function.UnaryOperator<List<String>> change) {
        app(name).arguments(change);
    }

    boolean isAlive(String name) {
        return app(name).isAlive();
    }

    private synchronized void launch(String name, Path jar, List<String> args) {
        launch(name, jar, List.of(), args);
    }

    private synchronized void launch(String name, Path jar, List<String> prefix, List<String> args) {
        if (apps.containsKey(name)) {
            throw new IllegalArgumentException(name + " was started before; use restart(\"" + name + "\")");
        }
        AppProcess app = AppProcess.start(name, jar, prefix, args, runDir);
        apps.put(name, app);
        log.info("started {} (pid {}), log {}", name, app.pid(), app.log());
    }

    /** Waits until every running orchestrator answers and has heard from every running agent. */
    void awaitStarted() {
        awaitUntil("every orchestrator to answer on REST and to know every agent's host", STARTUP, () -> {
            for (Map.Entry<String, OrchestratorApi> orchestrator : orchestrators.entrySet()) {
                if (!app(orchestrator.getKey()).isAlive()) {
                    continue;
                }
                if (!orchestrator.getValue().healthy()) {
                    return false;
                }
                for (String host : runningAgents()) {
                    if (!orchestrator.getValue().knowsHost(host)) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** Waits until the orchestrator called name answers on REST. */
    void awaitHealthy(String name) {
        OrchestratorApi api = api(name);
        awaitUntil(name + " to answer at " + api.base(), STARTUP, api::healthy);
    }

    OrchestratorApi api(String orchestrator) {
        OrchestratorApi api = orchestrators.get(orchestrator);
        if (api == null) {
            throw new IllegalArgumentException("no orchestrator called " + orchestrator);
        }
        return api;
    }

    /** SIGKILL: the app dies at once, as in a crash. */
    void kill(String name) {
        AppProcess app = app(name);
        synchronized (this) {
            deliberatelyDown.add(name);
        }
        long pid = app.pid();
        app.kill();
        log.info("killed {} (pid {}) with SIGKILL", name, pid);
    }

    /** SIGTERM: the app shuts down in order (leaves its consumer groups, finishes in-flight work). */
    void stop(String name) {
        AppProcess app = app(name);
        synchronized (this) {
            deliberatelyDown.add(name);
        }
        app.stop();
        log.info("stopped {}", name);
    }

    /** Starts a killed or stopped app again, with the same arguments (same ports, same data) and a new log. */
    void restart(String name) {
        AppProcess app = app(name);
        deleteQuietly(portFile(name)); // until it has bound its new port, it answers nowhere
        app.start();
        synchronized (this) {
            deliberatelyDown.remove(name);
        }
        log.info("restarted {} (pid {}), log {}", name, app.pid(), app.log());
    }

    private Path portFile(String name) {
        return runDir.resolve(name + ".port");
    }

    /** The port the app wrote once it bound it; 0 (nothing answers there) until then. */
    private static String boundPort(Path portFile) {
        try {
            return java.nio.file.Files.readString(portFile).strip();
        } catch (java.io.IOException e) {
            return "0";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            java.nio.file.Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            log.warn("could not delete {}: {}", file, e.getMessage());
        }
    }

    /**
     * A migration request body for POST /api/migrations, with a fresh request id (no requestedBy: REST records the
     * logged-in user and refuses the field).
     */
    static Map<String, Object> migrationRequest(String vmId, String destinationHost, int bandwidthMbps) {
        return Map.of("requestId", "system-test-" + java.util.UUID.randomUUID(), "vmId", vmId,
                "destinationHost", destinationHost, "bandwidthMbps", bandwidthMbps);
    }

    /** The storage lease of the VM's disk as the shared storage holds it. */
    StorageLeases.Lease leaseOf(String diskPath) {
        return new StorageLeases(runDir.resolve("shared").resolve("storage")).current(Disks.of(diskPath));
    }

    /**
     * Polls until condition holds, failing with what was awaited, the time, and where the logs are; fails at once
     * when an app dies that the test did not kill.
     */
    void awaitUntil(String what, Duration timeout, BooleanSupplier condition) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (true) {
            if (condition.getAsBoolean()) {
                log.info("after {} ms: {}", Duration.between(start, Instant.now()).toMillis(), what);
                return;
            }
            String died = unexpectedDeath();
            if (died != null) {
                throw new AssertionError("while waiting for " + what + ": " + died);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; the apps' logs are in " + runDir.resolve("logs"));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    private synchronized String unexpectedDeath() {
        for (AppProcess app : apps.values()) {
            if (!deliberatelyDown.contains(app.name) && !app.isAlive()) {
                return app.exitDescription();
            }
        }
        return null;
    }

    private synchronized List<String> runningAgents() {
        return apps.entrySet().stream().filter(e -> !orchestrators.containsKey(e.getKey()) && e.getValue().isAlive())
                .map(Map.Entry::getKey).toList();
    }

    private synchronized AppProcess app(String name) {
        AppProcess app = apps.get(name);
        if (app == null) {
            throw new IllegalArgumentException("no app called " + name + "; started: " + apps.keySet());
        }
        return app;
    }

    /** Kills every process this stack started (SIGKILL: nothing of theirs is needed after the test). */
    private synchronized void stopProcesses() {
        for (AppProcess app : apps.values()) {
            app.kill();
        }
    }

    /** This stack's agents' run directories: in /dev/shm when usable (guest memory), named after the stack's run dir. */
    private Path guests() {
        return io.ferry.hypervisor.simulated.GuestMemory.defaultDirectory(0)
                .resolve("ferry-system-" + Integer.toHexString(runDir.toString().hashCode()));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopProcesses();
            io.ferry.hypervisor.simulated.GuestStore.wipe(guests());
        } finally {
            try {
                kafka.close();
            } finally {
                db.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the hook is running or has run
                }
            }
        }
    }

    /**
     * Each stack needs a database of its own: inventory or migrations left by another stack would send requests to
     * hosts that no longer run (Databases.forTests() gives a fresh one unless FERRY_TEST_DB_URL names a shared one).
     */
    private static void requireEmpty(DatabaseHandle db) {
        try (var connection = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                var rs = connection.createStatement().executeQuery(
                        "select count(*) from information_schema.tables where table_name = 'migrations'")) {
            rs.next();
            if (rs.getInt(1) > 0) {
                throw new IllegalStateException("the system tests need an empty database each, but " + db.description()
                        + " already has ferry's tables; unset FERRY_TEST_DB_URL (each test class then gets a scratch "
                        + "database) or point it at an empty database for a single test class");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot reach " + db.description() + ": " + e.getMessage(), e);
        }
    }

    private static Path execJar(String property, String fallback, String artifact) {
        Path target = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            try (var files = Files.list(target)) {
                var jar = files.filter(p -> p.getFileName().toString().startsWith(artifact)
                        && p.getFileName().toString().endsWith("-exec.jar")).findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no " + artifact + "-*-exec.jar in " + target + ": the system tests run the apps "
                + "from their runnable jars; build them first (mvn -B verify from the root builds them before these tests, "
                + "or mvn -B package -DskipTests)");
    }
}
