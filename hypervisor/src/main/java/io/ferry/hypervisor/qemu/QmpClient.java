package io.ferry.hypervisor.qemu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One long-lived QMP connection to one QEMU, over its unix socket (QEMU serves one client at a time). Commands may be
 * issued from any thread: each carries an id that QEMU echoes in its reply, and a reader thread routes every line by
 * its key: a reply ({@code return} or {@code error}) to the command with its id, an {@code event} to the listeners.
 */
public final class QmpClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QmpClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final SocketChannel channel;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    private final Object writeLock = new Object();

    private QmpClient(String name, SocketChannel channel) {
        this.name = name;
        this.channel = channel;
        Thread.ofPlatform().daemon().name("qmp-" + name).start(this::readLoop);
    }

    /**
     * Connects to the QMP socket of a QEMU that may still be starting (the socket appears when it is ready), waits for
     * its greeting and leaves negotiation mode.
     *
     * @param name for logs and the reader thread, e.g. the VM's id
     */
    public static QmpClient connect(Path socket, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel channel = null;
        IOException last = null;
        while (channel == null) {
            try {
                channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                last = e;
                if (System.nanoTime() > deadline) {
                    throw new QmpException("connect", QmpException.DISCONNECTED, "no QEMU answers on " + socket + " after "
                            + timeout.toMillis() + " ms: " + e.getMessage(), e);
                }
                sleep(20);
            }
        }
        QmpClient client = new QmpClient(name, channel);
        try {
            long left = Math.max(1, deadline - System.nanoTime());
            client.greeting.get(left, TimeUnit.NANOSECONDS);
            client.execute("qmp_capabilities", null, timeout);
            return client;
        } catch (TimeoutException e) {
            client.close();
            throw new QmpException("connect", QmpException.TIMEOUT, "QEMU on " + socket + " sent no greeting within "
                    + timeout.toMillis() + " ms (it serves one QMP client at a time: is another one connected?)", e);
        } catch (ExecutionException e) {
            client.close();
            throw new QmpException("connect", QmpException.DISCONNECTED, "QEMU on " + socket + " closed the connection before "
                    + "its greeting" + (last == null ? "" : ": " + last.getMessage()), e.getCause());
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new QmpException("connect", "Interrupted", "interrupted while connecting to " + socket, e);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Runs {@code command} and returns its {@code return} value; QEMU's refusal becomes a {@link QmpException}. */
    public JsonNode execute(String command) {
        return execute(command, null, DEFAULT_TIMEOUT);
    }

    public JsonNode execute(String command, Map<String, ?> arguments) {
        return execute(command, arguments, DEFAULT_TIMEOUT);
    }

    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
        String id = name + "-" + ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("execute", command);
        if (arguments != null && !arguments.isEmpty()) {
            message.set("arguments", JSON.valueToTree(arguments));
        }
        message.put("id", id);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            if (closed.isDone()) {
                throw disconnected(command);
            }
            send(command, message);
            JsonNode answer = reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            JsonNode error = answer.get("error");
            if (error != null) {
                throw new QmpException(command, error.path("class").asString("GenericError"), error.path("desc").asString(""));
            }
            return answer.path("return");
        } catch (TimeoutException e) {
            throw new QmpException(command, QmpException.TIMEOUT, "QEMU (" + name + ") did not answer within "
                    + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof QmpException q ? new QmpException(command, q.errorClass(), q.desc(), q)
                    : new QmpException(command, "Error", e.getCause().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(command, "Interrupted", "interrupted while waiting for QEMU (" + name + ")", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Every event from now on goes to {@code listener}, on the reader thread: it must not block. */
    public void onEvent(Consumer<QmpEvent> listener) {
        listeners.add(listener);
    }

    /** Completes (with the reason) when the connection is gone, e.g. because QEMU exited. */
    public CompletableFuture<String> closed() {
        return closed;
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    private void send(String command, ObjectNode message) {
        byte[] line = (JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        synchronized (writeLock) {
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw new QmpException(command, QmpException.DISCONNECTED, "cannot write to QEMU (" + name + "): " + e.getMessage(), e);
            }
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String reason = "QEMU (" + name + ") closed the QMP connection";
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        route(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
                buffer.clear();
            }
        } catch (IOException e) {
            if (channel.isOpen()) {
                reason = "the QMP connection to QEMU (" + name + ") failed: " + e.getMessage();
            } else {
                reason = "the QMP connection to QEMU (" + name + ") was closed by ferry";
            }
        } finally {
            shutDown(reason);
        }
    }

    private void route(String text) {
        if (text.isBlank()) {
            return;
        }
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (RuntimeException e) {
            log.warn("QEMU ({}) sent a line that is not JSON, ignored: {}", name, text);
            return;
        }
        if (message.has("event")) {
            QmpEvent event = new QmpEvent(message.path("event").asString(), message.has("data") ? message.get("data")
                    : JSON.createObjectNode(), timestamp(message.path("timestamp")));
            for (Consumer<QmpEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    log.warn("a QMP event listener failed on {}", event.name(), e);
                }
            }
        } else if (message.has("return") || message.has("error")) {
            CompletableFuture<JsonNode> reply = message.has("id") ? pending.get(message.path("id").asString()) : null;
            if (reply != null) {
                reply.complete(message);
            } else {
                log.warn("QEMU ({}) answered a command ferry is no longer waiting for: {}", name, text);
            }
        } else if (message.has("QMP")) {
            greeting.complete(message);
        } else {
            log.warn("QEMU ({}) sent an unexpected QMP message, ignored: {}", name, text);
        }
    }

    private static Instant timestamp(JsonNode stamp) {
        if (!stamp.has("seconds")) {
            return Instant.now();
        }
        return Instant.ofEpochSecond(stamp.path("seconds").asLong(), stamp.path("microseconds").asLong() * 1_000);
    }

    private void shutDown(String reason) {
        if (closed.complete(reason)) {
            greeting.completeExceptionally(new QmpException("greeting", QmpException.DISCONNECTED, reason));
            pending.values().forEach(reply -> reply.completeExceptionally(new QmpException("command",
                    QmpException.DISCONNECTED, reason)));
        }
    }

    private QmpException disconnected(String command) {
        return new QmpException(command, QmpException.DISCONNECTED, closed.getNow("the QMP connection is closed"));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing the QMP connection to {}", name, e);
        }
        shutDown("the QMP connection to QEMU (" + name + ") was closed by ferry");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("connect", "Interrupted", "interrupted while connecting to QEMU", e);
        }
    }

    /** {@code migrate-incoming} on a port QEMU picks on {@code bindHost}; returns that port. */
    public String migrateIncoming(String bindHost) {
        execute("migrate-incoming", java.util.Map.of("uri", "tcp:" + bindHost + ":0"));
        String port = execute("query-migrate").path("socket-address").path(0).path("port").asString("");
        if (port.isEmpty()) {
            throw new QmpException("query-migrate", "GenericError", "QEMU reported no listening port");
        }
        return port;
    }
}
