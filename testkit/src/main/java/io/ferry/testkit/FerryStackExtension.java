package io.ferry.testkit;

import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import io.ferry.devstack.KafkaClusters;
import io.ferry.devstack.KafkaHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingSupplier;

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
 * Between the two, the tests use it as the {@link InProcessStack} it is (and may start and stop agents).
 */
public final class FerryStackExtension extends InProcessStack implements BeforeAllCallback, AfterAllCallback {
    private record Agent(String host, String vms, String workload, Map<String, String> extra) {}

    private ThrowingSupplier<KafkaHandle> kafka = KafkaClusters::forTests;
    private Map<String, String> kafkaSettings = Map.of();
    private ThrowingSupplier<DatabaseHandle> database = Databases::forTests;
    private Map<String, String> orchestrator = Map.of();
    private final List<Agent> agents = new ArrayList<>();
    private int inventoryHosts = -1;
    private int inventoryVms;

    private FerryStackExtension(Apps apps) {
        super(apps);
    }

    /** ferry's apps in this JVM: a fresh broker and database, the orchestrator, no agents yet. */
    public static FerryStackExtension inProcess(Apps apps) {
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
        return agent(host, vms, workload(writesPerSecond));
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
        open(broker, kafkaSettings, db); // closed after all, even if the rest fails
        startOrchestrator(orchestrator);
        for (Agent agent : agents) {
            startAgent(agent.host(), agent.vms(), agent.workload(), agent.extra());
        }
        if (inventoryHosts >= 0) {
            awaitInventory(inventoryHosts, inventoryVms);
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
        close();
    }
}
