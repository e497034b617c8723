package io.ferry.testkit;

import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.KafkaHandle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running ferry for a test: one orchestrator and its host agents against a real broker and a real PostgreSQL. What a
 * test does with it (REST calls as a user, its database, waits) is here; how the apps run is the launcher's
 * ({@link InProcessStack}, or {@link FerryStackExtension} for a whole test class).
 */
public abstract class FerryStack {
    public static final String DATA_TOKEN_SECRET = "e2e-data-token-secret";
    public static final String OPERATOR = "ops";
    public static final String OPERATOR_PASSWORD = "ops-secret";
    public static final String VIEWER = "audit";
    public static final String VIEWER_PASSWORD = "audit-secret";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A response of the orchestrator's REST API. */
    public record Response(int status, JsonNode body, String text) {}

    public abstract KafkaHandle kafka();

    public abstract DatabaseHandle db();

    /** The orchestrator's database. */
    public abstract JdbcTemplate jdbc();

    /** Where {@code path} is on the orchestrator's REST port. */
    public abstract URI uri(String path);

    /** As the operator. */
    public Response post(String path, String json) throws Exception {
        return post(path, json, OPERATOR, OPERATOR_PASSWORD);
    }

    /** As the given user; a null user sends no credentials. */
    public Response post(String path, String json, String user, String password) throws Exception {
        return send(auth(HttpRequest.newBuilder(uri(path)), user, password).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** As the operator. */
    public Response get(String path) throws Exception {
        return get(path, OPERATOR, OPERATOR_PASSWORD);
    }

    public Response get(String path, String user, String password) throws Exception {
        return send(auth(HttpRequest.newBuilder(uri(path)), user, password).GET().build());
    }

    private static HttpRequest.Builder auth(HttpRequest.Builder request, String user, String password) {
        return user == null ? request : request.header("Authorization", basic(user, password));
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public Response send(HttpRequest request) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            String type = response.headers().firstValue("Content-Type").orElse("");
            boolean json = type.contains("json") && body != null && !body.isBlank();
            return new Response(response.statusCode(), json ? JSON.readTree(body) : null, body);
        }
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
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
