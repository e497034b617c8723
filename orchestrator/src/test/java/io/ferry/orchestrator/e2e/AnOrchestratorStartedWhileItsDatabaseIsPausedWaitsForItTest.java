package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.devstack.Databases;
import io.ferry.devstack.Directories;
import io.ferry.devstack.KafkaClusters;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.InProcessStack;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An orchestrator restarted while PostgreSQL does not answer (the chaos soak's kill during a database pause) used to
 * exit after its 3 s connection timeout, leaving its migrations without a watchdog until something restarted it.
 * Runs on a PostgreSQL of its own, as it stops that server's processes.
 */
class AnOrchestratorStartedWhileItsDatabaseIsPausedWaitsForItTest {
    private Path dataDir;
    private InProcessStack stack;

    @AfterEach
    void stopStack() throws Exception {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            if (dataDir != null) {
                Directories.deleteRecursively(dataDir);
            }
        }
    }

    @Test
    void it_waits_for_the_database_and_serves_once_the_database_answers() throws Exception {
        dataDir = Files.createTempDirectory("ferry-paused-pg");
        stack = new InProcessStack(FerryApps.IN_PROCESS, KafkaClusters.forTests(), Map.of(),
                Databases.embedded(dataDir, 0));
        CompletableFuture<InProcessStack> started;

        // given the database does not answer
        try (PausedPostgres paused = PausedPostgres.pause(dataDir)) {
            // when the orchestrator starts
            started = CompletableFuture.supplyAsync(() -> stack.startOrchestrator());

            // then it is still starting, not failed, well past its 3 s connection timeout (it failed within seconds of trying before)
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && !started.isDone()) {
                Thread.sleep(50);
            }
            assertThat(started).as("the orchestrator's start while the database is paused").isNotDone();
        }

        // and once the database answers again it finishes starting and serves
        InProcessStack ready = started.get(240, java.util.concurrent.TimeUnit.SECONDS);
        FerryStack.await("health to be UP", Duration.ofSeconds(60), () -> health(ready) == 200);
    }

    private static int health(FerryStack stack) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(stack.uri("/actuator/health")).timeout(Duration.ofSeconds(5)).GET()
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
