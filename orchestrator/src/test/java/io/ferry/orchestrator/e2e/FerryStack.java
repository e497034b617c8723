package io.ferry.orchestrator.e2e;

import io.ferry.agent.HostAgentApplication;
import io.ferry.devstack.AppSettings;
import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import io.ferry.devstack.KafkaClusters;
import io.ferry.devstack.KafkaHandle;
import io.ferry.orchestrator.OrchestratorApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real apps against a real broker and a real PostgreSQL (containers where Docker answers, otherwise a KRaft
 * broker started here and the local or an embedded PostgreSQL): one orchestrator and two host agents.
 */
final class FerryStack implements AutoCloseable {
    final KafkaHandle kafka;
    final DatabaseHandle db;
    final Path shared;
    /** The agents' run directories (kept guests), one per host under this; in /dev/shm when usable, wiped at close. */
    final Path guests;
    /** Spring properties every app gets to reach the broker (its security settings), beyond the address. */
    private final Map<String, String> kafkaSettings;
    ConfigurableApplicationContext orchestrator;
    final List<ConfigurableApplicationContext> agents = new ArrayList<>();

    FerryStack() throws Exception {
        this(KafkaClusters.forTests(), Map.of());
    }

    FerryStack(KafkaHandle kafka, Map<String, String> kafkaSettings) throws Exception {
        this(kafka, kafkaSettings, Databases.forTests());
    }

    /** @param db a database of the test's own, e.g. a private server it may pause */
    FerryStack(KafkaHandle kafka, Map<String, String> kafkaSettings, DatabaseHandle db) throws Exception {
        this.kafka = kafka;
        this.db = db;
        this.kafkaSettings = Map.copyOf(kafkaSettings);
        shared = Files.createTempDirectory("ferry-e2e");
        guests = Files.createTempDirectory(io.ferry.agent.hypervisor.simulated.GuestMemory.defaultDirectory(0), "ferry-e2e-guests-");
    }

    FerryStack startOrchestrator() {
        return startOrchestrator(Map.of());
    }

    /** @param extra further properties, e.g. ferry.orchestrator.max-outbound-per-host */
    FerryStack startOrchestrator(Map<String, String> extra) {
        AppSettings settings = AppSettings.orchestrator(db, kafka.bootstrapServers(), DATA_TOKEN_SECRET,
                AppSettings.users(OPERATOR, OPERATOR_PASSWORD, VIEWER, VIEWER_PASSWORD)).with(kafkaSettings).with(extra);
        orchestrator = new SpringApplicationBuilder(OrchestratorApplication.class).run(args(settings));
        return this;
    }

    /** A response of the orchestrator's REST API. */
    record Response(int status, JsonNode body, String text) {}

    static final String DATA_TOKEN_SECRET = "e2e-data-token-secret";
    static final String OPERATOR = "ops";
    static final String OPERATOR_PASSWORD = "ops-secret";
    static final String VIEWER = "audit";
    static final String VIEWER_PASSWORD = "audit-secret";

    /** As the operator. */
    Response post(String path, String json) throws Exception {
        return post(path, json, OPERATOR, OPERATOR_PASSWORD);
    }

    /** As the given user; a null user sends no credentials. */
    Response post(String path, String json, String user, String password) throws Exception {
        return send(auth(HttpRequest.newBuilder(uri(path)), user, password).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** As the operator. */
    Response get(String path) throws Exception {
        return get(path, OPERATOR, OPERATOR_PASSWORD);
    }

    Response get(String path, String user, String password) throws Exception {
        return send(auth(HttpRequest.newBuilder(uri(path)), user, password).GET().build());
    }

    private static HttpRequest.Builder auth(HttpRequest.Builder request, String user, String password) {
        return user == null ? request : request.header("Authorization", basic(user, password));
    }

    static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + orchestrator.getEnvironment().getProperty("local.server.port") + path);
    }

    Response send(HttpRequest request) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            String type = response.headers().firstValue("Content-Type").orElse("");
            boolean json = type.contains("json") && body != null && !body.isBlank();
            return new Response(response.statusCode(), json ? JSON.readTree(body) : null, body);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The state of the migration made from this request, or null before there is one. */
    String stateOf(String requestId) {
        return jdbc().query("select state from migrations where request_id = ?", rs -> rs.next() ? rs.getString(1) : null,
                requestId);
    }

    /** An agent whose guests write uniformly at {@code writesPerSecond} (0: idle). */
    ConfigurableApplicationContext startAgent(String host, String vms, long writesPerSecond) {
        return startAgent(host, vms, writesPerSecond == 0 ? "idle" : "uniform:" + writesPerSecond);
    }

    /** An agent whose guests run {@code workload}, e.g. hotset:20000 (a vms entry may name its own). */
    ConfigurableApplicationContext startAgent(String host, String vms, String workload) {
        return startAgent(host, vms, workload, Map.of());
    }

    /** @param extra further agent properties, e.g. ferry.agent.cpu-features */
    ConfigurableApplicationContext startAgent(String host, String vms, String workload, Map<String, String> extra) {
        AppSettings settings = AppSettings.agent(host, kafka.bootstrapServers(), shared, guests.resolve(host),
                        io.ferry.schema.DataTokenSeal.hostKeyText(DATA_TOKEN_SECRET, host))
                .with("ferry.agent.vms", vms).with("ferry.agent.workload", workload)
                .with("ferry.agent.heartbeat-interval", "500ms").with(kafkaSettings).with(extra);
        ConfigurableApplicationContext agent = new SpringApplicationBuilder(HostAgentApplication.class).run(args(settings));
        agents.add(agent);
        return agent;
    }

    /** As command-line arguments, which outrank application.yml and the environment. */
    private static String[] args(AppSettings settings) {
        return settings.asArgs().toArray(String[]::new);
    }

    JdbcTemplate jdbc() {
        return orchestrator.getBean(JdbcTemplate.class);
    }

    /** Waits until {@code hosts} agents and {@code vms} guests (on any host) have reported. */
    void awaitInventory(int hosts, int vms) throws InterruptedException {
        await(hosts + " hosts and " + vms + " VMs in the inventory", Duration.ofSeconds(60),
                () -> jdbc().queryForObject("select count(*) from hosts", Integer.class) == hosts
                        && jdbc().queryForObject("select count(*) from host_vms", Integer.class) == vms);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        agents.forEach(ConfigurableApplicationContext::close);
        if (orchestrator != null) {
            orchestrator.close();
        }
        kafka.close();
        db.close();
        io.ferry.agent.hypervisor.simulated.GuestStore.wipe(guests);
    }
}
