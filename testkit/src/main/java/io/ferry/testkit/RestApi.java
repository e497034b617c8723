package io.ferry.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An orchestrator's REST API as its users call it, written once for both launchers: {@link FerryStack} (its one
 * orchestrator) and {@link OrchestratorApi} (each orchestrator process of a {@link ProcessStack}).
 */
public abstract class RestApi {
    /** The users every test stack configures (ferry.orchestrator.users). */
    public static final String OPERATOR = "ops";
    public static final String OPERATOR_PASSWORD = "ops-secret";
    public static final String VIEWER = "audit";
    public static final String VIEWER_PASSWORD = "audit-secret";
    /** What /actuator/health says of an orchestrator that serves (DEGRADED: up, a dependency impaired). */
    public static final Set<String> HEALTHY = Set.of("UP", "DEGRADED");

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    /** A response of the orchestrator's REST API. */
    public record Response(int status, JsonNode body, String text) {}

    private final Duration connectTimeout;
    private final Duration answerTimeout;

    /** Without time limits: an in-process orchestrator answers or fails. */
    protected RestApi() {
        this(null, null);
    }

    /** With time limits, for an orchestrator that may be killed or cut off (null: no limit). */
    protected RestApi(Duration connectTimeout, Duration answerTimeout) {
        this.connectTimeout = connectTimeout;
        this.answerTimeout = answerTimeout;
    }

    /** Where {@code path} is on the orchestrator's REST port. */
    public abstract URI uri(String path);

    /** As the operator. */
    public Response post(String path, String json) throws Exception {
        return post(path, json, OPERATOR, OPERATOR_PASSWORD);
    }

    /** As the given user; a null user sends no credentials. */
    public Response post(String path, String json, String user, String password) throws Exception {
        return send(request(path, user, password).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** As the operator. */
    public Response get(String path) throws Exception {
        return get(path, OPERATOR, OPERATOR_PASSWORD);
    }

    public Response get(String path, String user, String password) throws Exception {
        return send(request(path, user, password).GET().build());
    }

    /** A request to {@code path} as the given user (none if null), within the answer time limit. */
    protected HttpRequest.Builder request(String path, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (answerTimeout != null) {
            request.timeout(answerTimeout);
        }
        return user == null ? request : request.header("Authorization", basic(user, password));
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public Response send(HttpRequest request) throws Exception {
        HttpClient.Builder client = HttpClient.newBuilder();
        if (connectTimeout != null) {
            client.connectTimeout(connectTimeout);
        }
        try (HttpClient http = client.build()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            String type = response.headers().firstValue("Content-Type").orElse("");
            boolean json = type.contains("json") && body != null && !body.isBlank();
            return new Response(response.statusCode(), json ? JSON.readTree(body) : null, body);
        }
    }

    /** Whether the orchestrator answers on REST and says it serves; false while it cannot be reached. */
    public boolean healthy() {
        try {
            Response health = get("/actuator/health");
            return health.status() / 100 == 2 && health.body() != null
                    && HEALTHY.contains(health.body().path("status").asString(""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
