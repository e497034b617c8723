package io.ferry.cli.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the orchestrator's REST API in CLI tests: canned answers per "METHOD /path?query" (the query may be
 * left out to match any), and every request it received.
 */
public final class StubFerry implements AutoCloseable {

    public record Received(String method, String uri, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    /** Writes an answer; for streams, may write in pieces. */
    @FunctionalInterface
    public interface Answer {
        void write(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    public final List<Received> received = new CopyOnWriteArrayList<>();

    public StubFerry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        // a thread per exchange: a progress stream held open must not hold up the calls made beside it
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public StubFerry on(String methodAndPath, int status, String json) {
        return on(methodAndPath, exchange -> send(exchange, status, status >= 400 ? "application/problem+json"
                : "application/json", json));
    }

    public StubFerry on(String methodAndPath, Answer answer) {
        answers.put(methodAndPath, answer);
        return this;
    }

    /** A text/event-stream answer with these events, each {@code event: name} and {@code data: json}, then the end. */
    public StubFerry events(String methodAndPath, String name, String... data) {
        return on(methodAndPath, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
                for (String d : data) {
                    body.write(("event: " + name + "\ndata: " + d + "\n\n").getBytes(StandardCharsets.UTF_8));
                    body.flush();
                }
            }
        });
    }

    public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String uri = exchange.getRequestURI().toString();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(method, uri, Map.copyOf(exchange.getRequestHeaders()), body));
        Answer answer = answers.get(method + " " + uri);
        if (answer == null) {
            answer = answers.get(method + " " + exchange.getRequestURI().getPath());
        }
        if (answer == null) {
            send(exchange, 404, "application/problem+json", "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"No "
                    + "static resource " + exchange.getRequestURI().getPath() + ".\"}");
            return;
        }
        answer.write(exchange);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
