package io.ferry.cli;

import io.ferry.cli.commands.MigrationText;
import io.ferry.cli.connection.FerryClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Prints each event of the demo's migration as it is recorded, until the migration ends. The orchestrator's progress
 * stream (SSE) says when the migration changed, and only then is its history read: polling the history and the
 * migration every 100 ms made the demo's own reads a steady load on the orchestrator and its database, on the two cores
 * the migration it measures runs on. While no stream answers, it polls every {@link #POLL_WITHOUT_STREAM}. Meanwhile
 * {@code eachTick} runs every {@link #CHECK_EVERY} (the demo checks its processes alive and samples their huge pages).
 */
final class DemoFollower {
    static final Duration CHECK_EVERY = Duration.ofMillis(100);
    static final Duration POLL_WITHOUT_STREAM = Duration.ofMillis(250);

    private final Runnable eachTick;
    private final FerryClient api;
    private final PrintStream out;
    private final Duration timeout;

    DemoFollower(Runnable eachTick, FerryClient api, PrintStream out, Duration timeout) {
        this.eachTick = eachTick;
        this.api = api;
        this.out = out;
        this.timeout = timeout;
    }

    /** Follows the migration the request {@code requestId} started; returns it once it ended. */
    JsonNode follow(String requestId) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String id = awaitMigration(requestId, deadline);
        out.println("migration " + id);
        Semaphore changed = new Semaphore(1);
        Thread stream = Thread.ofVirtual().name("demo-progress").start(() -> {
            try {
                api.events("/api/migrations/" + id + "/progress", event -> changed.release());
            } catch (RuntimeException e) {
                // no stream (or it broke off): the loop below polls
            } finally {
                changed.release();
            }
        });
        try {
            int printed = 0;
            Instant nextPoll = Instant.now();
            while (Instant.now().isBefore(deadline)) {
                eachTick.run();
                boolean woken = changed.tryAcquire(CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                boolean polling = !stream.isAlive() && !Instant.now().isBefore(nextPoll);
                if (!woken && !polling) {
                    continue;
                }
                changed.drainPermits();
                nextPoll = Instant.now().plus(POLL_WITHOUT_STREAM);
                JsonNode history = api.get("/api/migrations/" + id + "/history");
                for (; printed < history.size(); printed++) {
                    out.println("  " + Narration.describe(history.get(printed)));
                }
                JsonNode migration = api.get("/api/migrations/" + id);
                if (MigrationText.TERMINAL.contains(migration.path("state").asString())) {
                    return migration;
                }
            }
        } finally {
            stream.interrupt();
        }
        throw new IllegalStateException("the migration did not end within " + timeout.toMinutes() + " minutes");
    }

    private String awaitMigration(String requestId, Instant deadline) throws InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            eachTick.run();
            JsonNode found = api.get("/api/migrations?requestId=" + requestId).path("items");
            if (found.size() > 0) {
                return found.get(0).path("migrationId").asString();
            }
            Thread.sleep(CHECK_EVERY.toMillis());
        }
        throw new IllegalStateException("the request " + requestId + " started no migration within " + timeout.toMinutes()
                + " minutes");
    }
}
