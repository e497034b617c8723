package io.ferry.cli.connection;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The orchestrator's REST API for the CLI commands: Basic auth on every call, errors as {@link ApiException}. */
public final class FerryClient {
    private final Connection connection;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    public FerryClient(Connection connection) {
        this(connection, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /** With shorter timeouts, for a caller that polls a server it started and checks on its processes between calls. */
    public FerryClient(Connection connection, Duration connectTimeout, Duration requestTimeout) {
        this.connection = connection;
        this.timeout = requestTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    public Connection connection() {
        return connection;
    }

    /** Whether the orchestrator serves requests: UP, or DEGRADED (an outbox falling behind still serves them). */
    public boolean healthy() {
        try {
            return java.util.Set.of("UP", "DEGRADED").contains(get("/actuator/health").path("status").asString(""));
        } catch (RuntimeException e) {
            return false;
        }
    }

    public JsonNode get(String path) {
        return json.readTree(getText(path));
    }

    /** The body as it came, for documents the CLI passes on without reading (an export). */
    public String getText(String path) {
        return send(request(path).GET().build()).body();
    }

    public JsonNode post(String path, String jsonBody, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).POST(jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        String body = send(request.build()).body();
        return body.isBlank() ? json.missingNode() : json.readTree(body);
    }

    /**
     * Follows a server-sent event stream until the server ends it, handing each event over as it arrives. Returns false,
     * having read nothing, when the server answers 404 (no such stream); other errors throw.
     */
    public boolean events(String path, Consumer<ServerSentEvents.Event> onEvent) {
        HttpRequest request = request(path).setHeader("Accept", "text/event-stream, application/problem+json").timeout(Duration.ofDays(1)).GET().build();
        HttpResponse<Stream<String>> response = call(request, HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() == 404) {
                return false;
            }
            if (response.statusCode() / 100 != 2) {
                throw new ApiException.Failed(Problem.parse(response.statusCode(), lines.collect(Collectors.joining("\n"))));
            }
            ServerSentEvents parser = new ServerSentEvents();
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                parser.line(it.next()).ifPresent(onEvent);
            }
            return true;
        } catch (java.io.UncheckedIOException e) {
            throw new ApiException.Unreachable(connection.url(), e.getCause());
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(connection.url() + path)).timeout(timeout)
                .header("Accept", "application/json, application/problem+json");
        if (connection.hasCredentials()) {
            builder.header("Authorization", connection.authorization());
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) {
        HttpResponse<String> response = call(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new ApiException.Failed(Problem.parse(response.statusCode(), response.body()));
        }
        return response;
    }

    private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new ApiException.Unreachable(connection.url(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException.Unreachable(connection.url(), e);
        }
    }
}
