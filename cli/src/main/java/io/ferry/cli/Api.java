package io.ferry.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The orchestrator's REST API, as the CLI uses it. */
final class Api {
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private final String authorization;

    /** A user of the REST API. */
    record Credentials(String user, String password) {
        String header() {
            return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Credentials[" + user + "]"; // never the password
        }
    }

    Api(String base, Credentials credentials) {
        this.base = base;
        this.authorization = credentials.header();
    }

    boolean healthy() {
        try {
            // DEGRADED (an outbox falling behind) still serves requests; only DOWN and the like are not ready.
            return Set.of("UP", "DEGRADED").contains(get("/actuator/health").path("status").asString(""));
        } catch (RuntimeException e) {
            return false;
        }
    }

    boolean hasVm(String host, String vmId) {
        try {
            for (JsonNode vm : get("/api/vms")) {
                if (vm.path("host").asString("").equals(host) && vm.path("vmId").asString("").equals(vmId)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    boolean hasHost(String host) {
        try {
            for (JsonNode h : get("/api/hosts")) {
                if (h.path("host").asString("").equals(host)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the orchestrator at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
