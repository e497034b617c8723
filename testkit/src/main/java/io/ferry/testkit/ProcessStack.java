package io.ferry.testkit;

import io.ferry.devstack.AppSettings;
import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Directories;
import io.ferry.devstack.KafkaClusters;
import io.ferry.devstack.KafkaHandle;
import io.ferry.devstack.KafkaNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * ferry as it runs in production, on one machine: a real KRaft broker in this JVM (so a test can stop and restart
 * it), a real PostgreSQL, and the orchestrator(s) and the host agents as their own JVMs from their runnable jars. Any
 * app can be killed with SIGKILL, stopped or started again, and an agent can run under a prefix such as
 * {@code ip netns exec NS}.
 *
 * <p>As a JUnit extension ({@code @RegisterExtension static final}) it starts before a class's first test, with the
 * apps named by {@link #orchestrator} and {@link #agent}, waits until they answer, and closes after its last test.
 *
 * <p>Everything of a stack lives in its run directory: {@code logs/} with one log per app start, the broker's data
 * and the directory the agents share. {@link #close()} stops every process it started, and a shutdown hook does so
 * too should the test JVM be stopped first; pid files let the next run kill what a SIGKILLed test JVM left behind.
 */
public class ProcessStack extends FerryStack implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private static final Logger log = LoggerFactory.getLogger(ProcessStack.class);
    public static final Duration STARTUP = Duration.ofSeconds(120);
    /** Each poll calls the orchestrators, which share the machine with the test. */
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * ferry's two runnable jars, passed in since this module cannot depend on the apps, and the stack's guests.
     *
     * @param guests under which each agent gets its run directory (kept guests), e.g. in /dev/shm
     * @param wipeGuests deletes these guests, memory kept elsewhere included
     */
    public record Apps(Path orchestratorJar, Path agentJar, Path guests, Consumer<Path> wipeGuests) {}

    private final Path runDir;
    private final Apps apps;
    private final String kafkaHost;
    private final Supplier<DatabaseHandle> database;
    /** What {@link #beforeAll} starts, in order. */
    private final List<Consumer<ProcessStack>> startups = new ArrayList<>();
    private KafkaNode broker;
    /** The orchestrators' database, read as an auditor would (they run elsewhere). */
    private JdbcTemplate jdbc;
    private final Map<String, AppProcess> processes = new LinkedHashMap<>();
    private final Map<String, OrchestratorApi> orchestrators = new LinkedHashMap<>();
    /** Apps a test killed or stopped on purpose: their death does not fail a wait. */
    private final List<String> deliberatelyDown = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopProcesses, "process-stack-shutdown");

    /**
     * A stack that {@link #open}s later (before a test class, as an extension).
     *
     * @param runDir this stack's directory, emptied first (an earlier run's processes are killed)
     * @param kafkaHost the address the broker listens on and advertises (null: 127.0.0.1), e.g. a bridge's that
     *     agents in network namespaces reach
     * @param database the stack's database, which must be empty
     */
    protected ProcessStack(Path runDir, Apps apps, String kafkaHost, Supplier<DatabaseHandle> database) {
        this.runDir = runDir;
        this.apps = apps;
        this.kafkaHost = kafkaHost;
        this.database = database;
    }

    /** Starts the broker and the database; the apps are started by the test, each on its own. */
    protected final void open() {
        AppProcess.reapLeftovers(runDir);
        Directories.deleteRecursively(runDir);
        apps.wipeGuests().accept(apps.guests()); // a killed earlier run's guests
        try {
            Files.createDirectories(runDir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        DatabaseHandle started = null;
        KafkaNode node = null;
        try {
            started = database.get();
            jdbc = new JdbcTemplate(new DriverManagerDataSource(started.jdbcUrl(), started.username(), started.password()));
            requireEmpty(started);
            node = kafkaHost == null ? KafkaNode.start(runDir.resolve("kafka"), 0)
                    : KafkaNode.start(runDir.resolve("kafka"), 0, kafkaHost);
        } catch (RuntimeException | Error e) {
            if (started != null) {
                started.close();
            }
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            throw e;
        }
        broker = node;
        runOn(KafkaClusters.of(node), started);
        log.info("process stack in {}: {} and Kafka at {}", runDir, started.description(), node.bootstrapServers());
    }

    /** Before the first test, starts the orchestrator {@code name} (see {@link #startOrchestrator}). */
    @SuppressWarnings("unchecked") // the caller's own stack type, for a chain of these
    public <S extends ProcessStack> S orchestrator(String name, String... extraArgs) {
        startups.add(stack -> stack.startOrchestrator(name, extraArgs));
        return (S) this;
    }

    /** Before the first test, starts the agent of {@code host} (see {@link #startAgent(String, String, String, String...)}). */
    @SuppressWarnings("unchecked")
    public <S extends ProcessStack> S agent(String host, String vms, String workload) {
        startups.add(stack -> stack.startAgent(host, vms, workload));
        return (S) this;
    }

    /** Starts the broker, the database and the apps, in their order, and waits until they answer. */
    @Override
    public void beforeAll(ExtensionContext context) {
        open(); // closed after all, even if the rest fails
        startups.forEach(startup -> startup.accept(this));
        awaitStarted();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * Starts an orchestrator process named {@code name} on a free REST port, against this stack's database and broker
     * (several share one consumer group). Returns its API; {@link #awaitStarted()} waits until it answers.
     */
    public OrchestratorApi startOrchestrator(String name, String... extraArgs) {
        // It binds port 0 and writes the port it got (a port picked free here could be taken before it binds it).
        Path portFile = portFile(name);
        // the same secret for every orchestrator: a restarted one must mint the tokens the agents expect
        List<String> args = new ArrayList<>(orchestratorSettings().with("ferry.port-file", portFile.toString()).asArgs());
        args.addAll(List.of(extraArgs));
        launch(name, apps.orchestratorJar(), List.of(), args);
        OrchestratorApi api = new OrchestratorApi(() -> "http://127.0.0.1:" + boundPort(portFile));
        orchestrators.put(name, api);
        return api;
    }

    /** Starts the host agent of {@code host} with the guests {@code vms} (NAME:MB,...), each running {@code workload}. */
    public void startAgent(String host, String vms, String workload, String... extraArgs) {
        // on port 0: nothing calls an agent's HTTP port here
        List<String> args = new ArrayList<>(agentSettings(host, vms, workload).asArgs());
        args.addAll(List.of(extraArgs));
        launch(host, apps.agentJar(), List.of(), args);
    }

    /**
     * Starts the host agent {@code host} under {@code prefix} (e.g. ip netns exec NS) with exactly {@code args}
     * besides the broker's address, the shared storage and switch directories, its host key and its run directory.
     */
    public void startAgent(String host, List<String> prefix, List<String> args) {
        List<String> all = new ArrayList<>(agentSettings(host).without("server.port").asArgs());
        all.addAll(args);
        launch(host, apps.agentJar(), prefix, all);
    }

    /** The agent of {@code host}, its kept guests (re-adopted by a restarted agent) apart from other stacks' hosts. */
    private AppSettings agentSettings(String host) {
        return agentSettings(host, shared(), apps.guests().resolve(host));
    }

    private AppSettings agentSettings(String host, String vms, String workload) {
        return agentSettings(host, shared(), apps.guests().resolve(host), vms, workload);
    }

    /** Changes the arguments the app is started with next time ({@link #restart}). */
    public void arguments(String name, UnaryOperator<List<String>> change) {
        app(name).arguments(change);
    }

    public boolean isAlive(String name) {
        return app(name).isAlive();
    }

    private synchronized void launch(String name, Path jar, List<String> prefix, List<String> args) {
        if (processes.containsKey(name)) {
            throw new IllegalArgumentException(name + " was started before; use restart(\"" + name + "\")");
        }
        AppProcess app = AppProcess.start(name, jar, prefix, args, runDir);
        processes.put(name, app);
        log.info("started {} (pid {}), log {}", name, app.pid(), app.log());
    }

    /** Waits until every running orchestrator answers and has heard from every running agent. */
    public void awaitStarted() {
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
    public void awaitHealthy(String name) {
        OrchestratorApi api = api(name);
        awaitUntil(name + " to answer at " + api.base(), STARTUP, api::healthy);
    }

    public OrchestratorApi api(String orchestrator) {
        OrchestratorApi api = orchestrators.get(orchestrator);
        if (api == null) {
            throw new IllegalArgumentException("no orchestrator called " + orchestrator);
        }
        return api;
    }

    /** SIGKILL: the app dies at once, as in a crash. */
    public void kill(String name) {
        AppProcess app = app(name);
        synchronized (this) {
            deliberatelyDown.add(name);
        }
        long pid = app.pid();
        app.kill();
        log.info("killed {} (pid {}) with SIGKILL", name, pid);
    }

    /** SIGTERM: the app shuts down in order (leaves its consumer groups, finishes in-flight work). */
    public void stop(String name) {
        AppProcess app = app(name);
        synchronized (this) {
            deliberatelyDown.add(name);
        }
        app.stop();
        log.info("stopped {}", name);
    }

    /** Starts a killed or stopped app again, with the same arguments (same ports, same data) and a new log. */
    public void restart(String name) {
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
            return Files.readString(portFile).strip();
        } catch (IOException e) {
            return "0";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", file, e.getMessage());
        }
    }

    /**
     * Polls until condition holds, failing with what was awaited and where the logs are once {@code timeout} has
     * passed, or at once when an app dies that the test did not kill.
     */
    public void awaitUntil(String what, Duration timeout, BooleanSupplier condition) {
        try {
            Duration took = await(what, timeout, POLL, condition, this::unexpectedDeath);
            log.info("after {} ms: {}", took.toMillis(), what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the apps' logs are in " + runDir.resolve("logs"), e);
        }
    }

    private synchronized String unexpectedDeath() {
        for (AppProcess app : processes.values()) {
            if (!deliberatelyDown.contains(app.name) && !app.isAlive()) {
                return app.exitDescription();
            }
        }
        return null;
    }

    private synchronized List<String> runningAgents() {
        return processes.entrySet().stream()
                .filter(e -> !orchestrators.containsKey(e.getKey()) && e.getValue().isAlive())
                .map(Map.Entry::getKey).toList();
    }

    private synchronized AppProcess app(String name) {
        AppProcess app = processes.get(name);
        if (app == null) {
            throw new IllegalArgumentException("no app called " + name + "; started: " + processes.keySet());
        }
        return app;
    }

    @Override
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /** On the first orchestrator started (most stacks have one; {@link #api} names any). */
    @Override
    public URI uri(String path) {
        return orchestrators.values().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no orchestrator started")).uri(path);
    }

    /** The broker itself, to stop and restart it. */
    public KafkaNode broker() {
        return broker;
    }

    public Path runDir() {
        return runDir;
    }

    /** The directory every agent shares (storage leases, switch table). */
    public Path shared() {
        return runDir.resolve("shared");
    }

    /** Kills every process this stack started (SIGKILL: nothing of theirs is needed after the test). */
    private synchronized void stopProcesses() {
        for (AppProcess app : processes.values()) {
            app.kill();
        }
    }

    /** Stops everything it started (of what was, should it not have started fully); again does no harm. */
    @Override
    public synchronized void close() {
        try {
            stopProcesses();
            apps.wipeGuests().accept(apps.guests());
        } finally {
            try {
                closeBrokerAndDatabase();
            } finally {
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
    private void requireEmpty(DatabaseHandle db) {
        Integer tables;
        try {
            tables = jdbc.queryForObject(
                    "select count(*) from information_schema.tables where table_name = 'migrations'", Integer.class);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach " + db.description() + ": " + e.getMessage(), e);
        }
        if (tables != null && tables > 0) {
            throw new IllegalStateException("the system tests need an empty database each, but " + db.description()
                    + " already has ferry's tables; unset FERRY_TEST_DB_URL (each test class then gets a scratch "
                    + "database) or point it at an empty database for a single test class");
        }
    }
}
