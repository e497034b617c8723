package io.ferry.testkit;

import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import io.ferry.devstack.KafkaClusters;
import io.ferry.devstack.KafkaHandle;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One ferry for a whole test class, started before its first test and closed after its last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FerryStackExtension stack = FerryStackExtension.inProcess(apps)
 *         .agent("hv-01", "SERVER2:64", "idle").agent("hv-02", "", "idle").inventory(2, 1);
 * }</pre>
 *
 * It starts the broker, the database, the orchestrator, then the agents in their order, and waits for the inventory
 * when asked to; a class's own {@code @BeforeAll} methods run after that, its {@code @AfterAll} ones before the close.
 */
public final class FerryStackExtension extends FerryStack implements BeforeAllCallback, AfterAllCallback {
    private record Agent(String host, String vms, String workload, Map<String, String> extra) {}

    private final InProcessStack.Apps apps;
    private ThrowingSupplier<KafkaHandle> kafka = KafkaClusters::forTests;
    private Map<String, String> kafkaSettings = Map.of();
    private ThrowingSupplier<DatabaseHandle> database = Databases::forTests;
    private Map<String, String> orchestrator = Map.of();
    private final List<Agent> agents = new ArrayList<>();
    private int inventoryHosts = -1;
    private int inventoryVms;
    private InProcessStack running;

    private FerryStackExtension(InProcessStack.Apps apps) {
        this.apps = apps;
    }

    /** ferry's apps in this JVM: a fresh broker and database, the orchestrator, no agents yet. */
    public static FerryStackExtension inProcess(InProcessStack.Apps apps) {
        return new FerryStackExtension(apps);
    }

    /** A broker of the test's own (e.g. one that requires SASL) and what every app needs to reach it. */
    public FerryStackExtension kafka(ThrowingSupplier<KafkaHandle> kafka, Map<String, String> settings) {
        this.kafka = kafka;
        this.kafkaSettings = Map.copyOf(settings);
        return this;
    }

    /** A database of the test's own, e.g. a private server it may pause. */
    public FerryStackExtension database(ThrowingSupplier<DatabaseHandle> database) {
        this.database = database;
        return this;
    }

    /** Further orchestrator properties, e.g. ferry.orchestrator.max-outbound-per-host. */
    public FerryStackExtension orchestrator(Map<String, String> extra) {
        this.orchestrator = Map.copyOf(extra);
        return this;
    }

    /** An agent whose guests write uniformly at {@code writesPerSecond} (0: idle). */
    public FerryStackExtension agent(String host, String vms, long writesPerSecond) {
        return agent(host, vms, InProcessStack.workload(writesPerSecond));
    }

    /** An agent whose guests run {@code workload}, e.g. hotset:20000 (a vms entry may name its own). */
    public FerryStackExtension agent(String host, String vms, String workload) {
        return agent(host, vms, workload, Map.of());
    }

    /** @param extra further agent properties, e.g. ferry.agent.cpu-features */
    public FerryStackExtension agent(String host, String vms, String workload, Map<String, String> extra) {
        agents.add(new Agent(host, vms, workload, Map.copyOf(extra)));
        return this;
    }

    /** Before the first test, waits until {@code hosts} agents and {@code vms} guests have reported. */
    public FerryStackExtension inventory(int hosts, int vms) {
        this.inventoryHosts = hosts;
        this.inventoryVms = vms;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        KafkaHandle broker = get(kafka);
        DatabaseHandle db;
        try {
            db = get(database);
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
        running = new InProcessStack(apps, broker, kafkaSettings, db); // closed after all, even if the rest fails
        running.startOrchestrator(orchestrator);
        for (Agent agent : agents) {
            running.startAgent(agent.host(), agent.vms(), agent.workload(), agent.extra());
        }
        if (inventoryHosts >= 0) {
            running.awaitInventory(inventoryHosts, inventoryVms);
        }
    }

    private static <T> T get(ThrowingSupplier<T> supplier) throws Exception {
        try {
            return supplier.get();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (running != null) {
            try {
                running.close();
            } finally {
                running = null;
            }
        }
    }

    private InProcessStack running() {
        if (running == null) {
            throw new IllegalStateException("the stack runs from before the class's first test to after its last only");
        }
        return running;
    }

    /** Starts an agent now (again, after {@link #stopAgent}: it re-adopts the guests it kept). */
    public ConfigurableApplicationContext startAgent(String host, String vms, long writesPerSecond) {
        return running().startAgent(host, vms, writesPerSecond);
    }

    public ConfigurableApplicationContext startAgent(String host, String vms, String workload) {
        return running().startAgent(host, vms, workload);
    }

    public ConfigurableApplicationContext startAgent(String host, String vms, String workload, Map<String, String> extra) {
        return running().startAgent(host, vms, workload, extra);
    }

    /** Stops the agent of {@code host} as a shut-down process would (its kept guests stay for its next start). */
    public void stopAgent(String host) {
        running().stopAgent(host);
    }

    /** The running agent of {@code host}. */
    public ConfigurableApplicationContext agent(String host) {
        return running().agent(host);
    }

    public ConfigurableApplicationContext orchestrator() {
        return running().orchestrator();
    }

    /** The directory every agent shares (storage leases, switch table). */
    public Path shared() {
        return running().shared();
    }

    @Override
    public KafkaHandle kafka() {
        return running().kafka();
    }

    @Override
    public DatabaseHandle db() {
        return running().db();
    }

    @Override
    public JdbcTemplate jdbc() {
        return running().jdbc();
    }

    @Override
    public URI uri(String path) {
        return running().uri(path);
    }
}
