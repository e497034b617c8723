package io.ferry.testkit;

import io.ferry.devstack.AppSettings;
import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.KafkaHandle;
import io.ferry.schema.DataTokenSeal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A running ferry for a test: orchestrators and host agents against a real broker and a real PostgreSQL. What a
 * test does with it (REST calls as a user, its database, waits) is here; how the apps run is the launcher's
 * ({@link InProcessStack}, or {@link FerryStackExtension} for a whole test class; {@link ProcessStack} for JVMs of
 * their own).
 */
public abstract class FerryStack extends RestApi {
    public static final String DATA_TOKEN_SECRET = "e2e-data-token-secret";

    private KafkaHandle kafka;
    private DatabaseHandle db;

    /** The broker every app of this stack uses. */
    public KafkaHandle kafka() {
        return kafka;
    }

    /** Where the orchestrators' database is, as a handle (the test owns none of its connections). */
    public DatabaseHandle db() {
        return db;
    }

    /** Takes the broker and the database this stack runs on; {@link #closeBrokerAndDatabase} gives them back. */
    protected final void runOn(KafkaHandle kafka, DatabaseHandle db) {
        this.kafka = kafka;
        this.db = db;
    }

    /** Closes the broker, then the database, of what this stack took. */
    protected final void closeBrokerAndDatabase() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    /** The orchestrator's database. */
    public abstract JdbcTemplate jdbc();

    /** An orchestrator on this stack's database and broker, with its data-token secret and the test users. */
    protected AppSettings orchestratorSettings() {
        return AppSettings.orchestrator(db(), kafka().bootstrapServers(), DATA_TOKEN_SECRET,
                AppSettings.users(OPERATOR, OPERATOR_PASSWORD, VIEWER, VIEWER_PASSWORD));
    }

    /**
     * The host agent of {@code host} on this stack's broker, with the host key the orchestrators expect.
     *
     * @param shared what every agent of the stack shares (storage leases, switch table)
     * @param runDir its own run directory (kept guests, re-adopted when it starts again)
     */
    protected AppSettings agentSettings(String host, Path shared, Path runDir) {
        return AppSettings.agent(host, kafka().bootstrapServers(), shared, runDir,
                DataTokenSeal.hostKeyText(DATA_TOKEN_SECRET, host));
    }

    /** Like {@link #agentSettings(String, Path, Path)}, booting {@code vms} that run {@code workload}. */
    protected AppSettings agentSettings(String host, Path shared, Path runDir, String vms, String workload) {
        // heartbeats well inside the tests' waits
        return agentSettings(host, shared, runDir).with("ferry.agent.vms", vms).with("ferry.agent.workload", workload)
                .with("ferry.agent.heartbeat-interval", "500ms");
    }

    /** The state of the migration made from this request, or null before there is one. */
    public String stateOf(String requestId) {
        return jdbc().query("select state from migrations where request_id = ?", rs -> rs.next() ? rs.getString(1) : null,
                requestId);
    }

    /** Waits until {@code hosts} agents and {@code vms} guests (on any host) have reported. */
    public void awaitInventory(int hosts, int vms) throws InterruptedException {
        await(hosts + " hosts and " + vms + " VMs in the inventory", Duration.ofSeconds(60),
                () -> jdbc().queryForObject("select count(*) from hosts", Integer.class) == hosts
                        && jdbc().queryForObject("select count(*) from host_vms", Integer.class) == vms);
    }

    /** Polls {@code condition} until it holds, failing with what was awaited once {@code timeout} has passed. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        await(what, timeout, Duration.ofMillis(50), condition, () -> null);
    }

    /**
     * Polls {@code condition} every {@code interval} until it holds and returns how long that took. It fails with what
     * was awaited once {@code timeout} has passed, or at once when {@code unexpectedDeath} names an app that died
     * though the test did not stop it (null while none has): then nothing it waits for can come.
     */
    protected static Duration await(String what, Duration timeout, Duration interval, BooleanSupplier condition,
            Supplier<String> unexpectedDeath) throws InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (!condition.getAsBoolean()) {
            String died = unexpectedDeath.get();
            if (died != null) {
                throw new AssertionError("while waiting for " + what + ": " + died);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(interval);
        }
        return Duration.between(start, Instant.now());
    }
}
