package io.ferry.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A host agent's GET /inspect/vms: its guests, their state and a digest read from their memory at the call. */
final class AgentInspection {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    AgentInspection(String base) {
        this.base = base;
    }

    record Guest(String vmId, String state, String memoryDigest) {
        boolean running() {
            return "RUNNING".equals(state);
        }
    }

    /** The agent's guests, or empty when it does not answer (down, or its host cut off). */
    Optional<List<Guest>> guests() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/inspect/vms"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            List<Guest> guests = new ArrayList<>();
            for (JsonNode g : JSON.readTree(response.body())) {
                guests.add(new Guest(g.path("vmId").asString(), g.path("state").asString(),
                        g.path("memoryDigest").asString(null)));
            }
            return Optional.of(guests);
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return base;
    }
}
