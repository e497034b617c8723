package io.ferry.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * An orchestrator's REST API as an outside client sees it, as the operator: within time limits, since the
 * orchestrator may be killed or cut off, and without checked exceptions (a wait polls it).
 */
public final class OrchestratorApi extends RestApi {
    private final Supplier<String> baseNow;

    /** @param base where the orchestrator answers now (a restarted one binds a new port) */
    public OrchestratorApi(Supplier<String> base) {
        super(Duration.ofSeconds(2), Duration.ofSeconds(10));
        this.baseNow = base;
    }

    public String base() {
        return baseNow.get();
    }

    @Override
    public URI uri(String path) {
        return URI.create(base() + path);
    }

    /** POST /api/migrations; returns the accepted migration's id (fails on any other answer). */
    public String submit(Map<String, Object> body) {
        Response response = call(() -> post("/api/migrations", JSON.writeValueAsString(body)));
        if (response.status() != 202) {
            throw new AssertionError("POST /api/migrations " + body + " answered " + response.status() + ": "
                    + response.text());
        }
        return JSON.readTree(response.text()).path("migrationId").asString();
    }

    /** POST /api/hosts/{host}/drain; returns the drain's id (fails on any other answer than 202). */
    public String drain(String host) {
        Response response = call(() -> send(request("/api/hosts/" + host + "/drain", OPERATOR, OPERATOR_PASSWORD)
                .POST(HttpRequest.BodyPublishers.noBody()).build()));
        if (response.status() != 202) {
            throw new AssertionError("POST /api/hosts/" + host + "/drain answered " + response.status() + ": "
                    + response.text());
        }
        return JSON.readTree(response.text()).path("drainId").asString();
    }

    /** GET /api/drains/{id}, or empty when it cannot be read right now (the orchestrator is down). */
    public Optional<JsonNode> drainView(String id) {
        try {
            return json("/api/drains/" + id);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** POST /api/migrations/{id}/cancel; returns the status code (202 accepted, 409 too late), or -1 if unreachable. */
    public int cancel(String id) {
        try {
            return call(() -> send(request("/api/migrations/" + id + "/cancel", OPERATOR, OPERATOR_PASSWORD)
                    .POST(HttpRequest.BodyPublishers.noBody()).build())).status();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** GET /api/migrations/{id}: the read model, or empty when the orchestrator does not know it (or is down). */
    public Optional<JsonNode> migration(String id) {
        try {
            return json("/api/migrations/" + id);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The migration's state label, or null when it cannot be read right now. */
    public String state(String id) {
        return migration(id).map(m -> m.path("state").asString(null)).orElse(null);
    }

    public JsonNode history(String id) {
        return json("/api/migrations/" + id + "/history").orElseThrow();
    }

    public JsonNode vms() {
        return json("/api/vms").orElseThrow();
    }

    public JsonNode hosts() {
        return json("/api/hosts").orElseThrow();
    }

    /** The inventory row of vmId on host, or empty. */
    public Optional<JsonNode> vm(String host, String vmId) {
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

    public boolean knowsHost(String host) {
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

    /** GET as the operator: the body of a 2xx answer, empty on 404; fails on any other answer. */
    private Optional<JsonNode> json(String path) {
        Response response = call(() -> get(path));
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() / 100 != 2) {
            throw new IllegalStateException("GET " + path + " answered " + response.status() + ": " + response.text());
        }
        return Optional.of(JSON.readTree(response.text()));
    }

    private interface Call {
        Response call() throws Exception;
    }

    private Response call(Call call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the orchestrator at " + base() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
