package io.ferry.testkit;

import io.ferry.devstack.AppSettings;
import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.KafkaHandle;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The real apps in this JVM (each a Spring context of its own) against a real broker and a real PostgreSQL
 * (containers where Docker answers, otherwise a KRaft broker started here and the local or an embedded PostgreSQL):
 * one orchestrator and the host agents a test starts.
 */
public class InProcessStack extends FerryStack implements AutoCloseable {
    /**
     * ferry's two applications, passed in since this module cannot depend on them (the orchestrator's tests depend on
     * it), and where the agents keep their guests.
     *
     * @param guestsRoot under which each stack gets the agents' run directories (kept guests), e.g. /dev/shm
     * @param wipeGuests deletes a run directory's guests, memory kept elsewhere included
     */
    public record Apps(Class<?> orchestrator, Class<?> agent, Path guestsRoot, Consumer<Path> wipeGuests) {}

    private final Apps apps;
    private Path shared;
    /** The agents' run directories (kept guests), one per host under this; wiped at close. */
    private Path guests;
    /** Spring properties every app gets to reach the broker (its security settings), beyond the address. */
    private Map<String, String> kafkaSettings;
    private ConfigurableApplicationContext orchestrator;
    private final Map<String, ConfigurableApplicationContext> agents = new LinkedHashMap<>();

    /**
     * @param kafkaSettings what every app needs beyond the broker's address, e.g. its SASL settings
     * @param db a fresh database, or one of the test's own (a private server it may pause)
     */
    public InProcessStack(Apps apps, KafkaHandle kafka, Map<String, String> kafkaSettings, DatabaseHandle db)
            throws IOException {
        this(apps);
        open(kafka, kafkaSettings, db);
    }

    /** A stack that {@link #open}s later (its broker and database come when it starts, e.g. before a test class). */
    protected InProcessStack(Apps apps) {
        this.apps = apps;
    }

    /** Takes the broker and the database (closed with this stack) and makes the agents' directories. */
    protected final void open(KafkaHandle kafka, Map<String, String> kafkaSettings, DatabaseHandle db)
            throws IOException {
        runOn(kafka, db);
        this.kafkaSettings = Map.copyOf(kafkaSettings);
        shared = Files.createTempDirectory("ferry-e2e");
        guests = Files.createTempDirectory(apps.guestsRoot(), "ferry-e2e-guests-");
    }

    public InProcessStack startOrchestrator() {
        return startOrchestrator(Map.of());
    }

    /** @param extra further properties, e.g. ferry.orchestrator.max-outbound-per-host */
    public InProcessStack startOrchestrator(Map<String, String> extra) {
        orchestrator = run(apps.orchestrator(), orchestratorSettings().with(kafkaSettings).with(extra));
        return this;
    }

    /** An agent whose guests write uniformly at {@code writesPerSecond} (0: idle). */
    public ConfigurableApplicationContext startAgent(String host, String vms, long writesPerSecond) {
        return startAgent(host, vms, workload(writesPerSecond));
    }

    static String workload(long writesPerSecond) {
        return writesPerSecond == 0 ? "idle" : "uniform:" + writesPerSecond;
    }

    /** An agent whose guests run {@code workload}, e.g. hotset:20000 (a vms entry may name its own). */
    public ConfigurableApplicationContext startAgent(String host, String vms, String workload) {
        return startAgent(host, vms, workload, Map.of());
    }

    /**
     * Starts the agent of {@code host} (again, after {@link #stopAgent}: it re-adopts the guests it kept).
     *
     * @param extra further agent properties, e.g. ferry.agent.cpu-features
     */
    public ConfigurableApplicationContext startAgent(String host, String vms, String workload, Map<String, String> extra) {
        if (agents.containsKey(host)) {
            throw new IllegalStateException("the agent of " + host + " runs already; stopAgent(\"" + host + "\") first");
        }
        ConfigurableApplicationContext agent = run(apps.agent(),
                agentSettings(host, shared, guests.resolve(host), vms, workload).with(kafkaSettings).with(extra));
        agents.put(host, agent);
        return agent;
    }

    /** Stops the agent of {@code host} as a shut-down process would (its kept guests stay for its next start). */
    public void stopAgent(String host) {
        agent(host).close();
        agents.remove(host);
    }

    /** As command-line arguments, which outrank application.yml and the environment. */
    private static ConfigurableApplicationContext run(Class<?> app, AppSettings settings) {
        return new SpringApplicationBuilder(app).run(settings.asArgs().toArray(String[]::new));
    }

    /** The running agent of {@code host}. */
    public ConfigurableApplicationContext agent(String host) {
        ConfigurableApplicationContext agent = agents.get(host);
        if (agent == null) {
            throw new IllegalArgumentException("no agent of " + host + " runs; running: " + agents.keySet());
        }
        return agent;
    }

    public ConfigurableApplicationContext orchestrator() {
        return orchestrator;
    }

    /** The directory every agent shares (storage leases, switch table); a test may put its own things beside them. */
    public Path shared() {
        return shared;
    }

    @Override
    public JdbcTemplate jdbc() {
        return orchestrator.getBean(JdbcTemplate.class);
    }

    @Override
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + orchestrator.getEnvironment().getProperty("local.server.port") + path);
    }

    /** Stops the apps, then the broker and the database, and deletes the agents' guests (what of it was started). */
    @Override
    public void close() {
        agents.values().forEach(ConfigurableApplicationContext::close);
        agents.clear();
        if (orchestrator != null) {
            orchestrator.close();
            orchestrator = null;
        }
        closeBrokerAndDatabase();
        if (guests != null) {
            apps.wipeGuests().accept(guests);
        }
    }
}
