package io.ferry.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.testcontainers.DockerClientFactory;

/**
 * Is there a Docker engine Testcontainers can use? Asked once per JVM.
 *
 * <p>Testcontainers' own detection walks several strategies and logs a wall of errors when none works,
 * so we first look for any sign of an engine (DOCKER_HOST, a Testcontainers config, a known socket). Only
 * then is Testcontainers asked, with a time limit, so a wedged daemon cannot hang a test run.
 */
final class DockerProbe {

    record Result(boolean available, String reason) {
    }

    private static final long TESTCONTAINERS_TIMEOUT_SECONDS = 20;
    private static Result cached;

    private DockerProbe() {
    }

    static synchronized Result check() {
        if (cached == null) {
            cached = probe();
        }
        return cached;
    }

    private static Result probe() {
        Optional<String> hint = engineHint();
        if (hint.isEmpty()) {
            return new Result(false, "no Docker engine: DOCKER_HOST is unset and no Docker socket exists");
        }
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Thread asker = new Thread(() -> {
            try {
                answer.complete(DockerClientFactory.instance().isDockerAvailable());
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        }, "ferry-docker-probe");
        asker.setDaemon(true);
        asker.start();
        try {
            boolean available = answer.get(TESTCONTAINERS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return available
                    ? new Result(true, "a Docker engine answers (" + hint.get() + ")")
                    : new Result(false, "found " + hint.get() + " but Testcontainers could not use the Docker engine");
        } catch (TimeoutException e) {
            return new Result(false, "found " + hint.get() + " but the Docker engine did not answer within "
                    + TESTCONTAINERS_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            return new Result(false, "found " + hint.get() + " but asking it failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted while probing Docker");
        }
    }

    /** The first sign of a Docker engine, as a human-readable string, if any. */
    private static Optional<String> engineHint() {
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            return Optional.of("DOCKER_HOST=" + dockerHost);
        }
        String home = System.getProperty("user.home");
        Path testcontainersConfig = Path.of(home, ".testcontainers.properties");
        if (Files.exists(testcontainersConfig)) {
            return Optional.of(testcontainersConfig.toString());
        }
        for (Path socket : knownSockets(home)) {
            if (Files.exists(socket)) {
                return Optional.of("socket " + socket);
            }
        }
        return Optional.empty();
    }

    private static List<Path> knownSockets(String home) {
        List<Path> sockets = new ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"),
                Path.of(home, ".colima", "default", "docker.sock"),
                Path.of(home, ".rd", "docker.sock")));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir != null) {
            sockets.add(Path.of(runtimeDir, "docker.sock"));
            sockets.add(Path.of(runtimeDir, "podman", "podman.sock"));
        }
        return sockets;
    }
}
