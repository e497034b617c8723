package io.ferry.bench.scale;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The orchestrator's REST API as its operator, and the agents' digest endpoint. */
final class Rest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;
    private final String auth;

    Rest(String base, String user, String password) {
        this.base = base;
        this.auth = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(send(request(path).GET().build()));
    }

    String text(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    JsonNode post(String path) throws IOException, InterruptedException {
        return JSON.readTree(send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build()));
    }

    boolean answers(String path) {
        try {
            send(request(path).GET().build());
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        return auth == null ? b : b.header("Authorization", auth);
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }
}
