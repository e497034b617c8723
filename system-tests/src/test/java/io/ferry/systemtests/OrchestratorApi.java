package io.ferry.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An orchestrator's REST API, as an outside client sees it. */
final class OrchestratorApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final java.util.function.Supplier<String> baseNow;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    OrchestratorApi(String base) {
        this(() -> base);
    }

    /** @param base where the orchestrator answers now (a restarted one binds a new port) */
    OrchestratorApi(java.util.function.Supplier<String> base) {
        this.baseNow = base;
    }

    String base() {
        return baseNow.get();
    }

    boolean healthy() {
        try {
            return get("/actuator/health").map(h -> java.util.Set.of("UP", "DEGRADED").contains(h.path("status").asString(""))).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** POST /api/migrations; returns the accepted migration's id (fails on any other answer). */
    String submit(Map<String, Object> body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/api/migrations"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        if (response.statusCode() != 202) {
            throw new AssertionError("POST /api/migrations " + body + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body()).path("migrationId").asString();
    }

    /** POST /api/migrations/{id}/cancel; returns the status code (202 accepted, 409 too late), or -1 if unreachable. */
    int cancel(String id) {
        try {
            return send(HttpRequest.newBuilder(URI.create(base() + "/api/migrations/" + id + "/cancel"))
                    .POST(HttpRequest.BodyPublishers.noBody())).statusCode();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** GET /api/migrations/{id}: the read model, or empty when the orchestrator does not know it (or is down). */
    Optional<JsonNode> migration(String id) {
        try {
            return get("/api/migrations/" + id);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The migration's state label, or null when it cannot be read right now. */
    String state(String id) {
        return migration(id).map(m -> m.path("state").asString(null)).orElse(null);
    }

    JsonNode history(String id) {
        return get("/api/migrations/" + id + "/history").orElseThrow();
    }

    JsonNode vms() {
        return get("/api/vms").orElseThrow();
    }

    JsonNode hosts() {
        return get("/api/hosts").orElseThrow();
    }

    /** The inventory row of vmId on host, or empty. */
    Optional<JsonNode> vm(String host, String vmId) {
        try {
            for (JsonNode vm : vms()) {
                if (vm.path("host").asString("").equals(host) && vm.path("vmId").asString("").equals(vmId)) {
                    return Optional.of(vm);
                }
            }
        } catch (RuntimeException e) {
            // not reachable right now
        }
        return Optional.empty();
    }

    boolean knowsHost(String host) {
        try {
            for (JsonNode h : hosts()) {
                if (h.path("host").asString("").equals(host)) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            // not reachable right now
        }
        return false;
    }

    private Optional<JsonNode> get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + path)).GET());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Optional.of(JSON.readTree(response.body()));
    }

    static final String USER = "ops";
    static final String PASSWORD = "system-tests-password";
    /** The REST API's operator, as SystemStack configures every orchestrator. */
    static final String USERS = USER + ":" + PASSWORD + ":OPERATOR";
    private static final String AUTHORIZATION = "Basic " + java.util.Base64.getEncoder().encodeToString(
            (USER + ":" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("Authorization", AUTHORIZATION).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the orchestrator at " + base() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
