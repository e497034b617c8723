package io.ferry.orchestrator.availability;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The "db" health check, in place of Spring Boot's: it waits at most {@code ferry.orchestrator.database-health-timeout}
 * (2 s) for PostgreSQL to answer and says DOWN otherwise. A paused or unreachable server leaves a JDBC call waiting
 * until the socket times out, so the probe runs on a thread of its own, and at most one probe waits at a time.
 */
@Component("dbHealthIndicator")
class DatabaseHealthIndicator implements HealthIndicator {
    private final DataSource dataSource;
    private final Duration timeout;
    private volatile CompletableFuture<String> inFlight;
    private volatile long inFlightSince;

    DatabaseHealthIndicator(DataSource dataSource,
            @Value("${ferry.orchestrator.database-health-timeout:2s}") Duration timeout) {
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        CompletableFuture<String> probe = probe();
        try {
            return Health.up().withDetail("database", probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS)).build();
        } catch (TimeoutException e) {
            long waiting = (System.nanoTime() - inFlightSince) / 1_000_000;
            return Health.down().withDetail("reason", "PostgreSQL did not answer within " + timeout.toMillis()
                    + " ms (a probe has waited " + waiting + " ms); check that the database runs and is reachable")
                    .build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("reason", "PostgreSQL did not answer the probe: " + e.getCause()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("reason", "interrupted while probing PostgreSQL").build();
        }
    }

    /** The probe that is still waiting, or a new one. */
    private synchronized CompletableFuture<String> probe() {
        CompletableFuture<String> current = inFlight;
        if (current != null && !current.isDone()) {
            return current;
        }
        inFlightSince = System.nanoTime();
        CompletableFuture<String> next = new CompletableFuture<>();
        inFlight = next;
        Thread.ofVirtual().name("db-health-probe").start(() -> {
            try (var connection = dataSource.getConnection()) {
                if (!connection.isValid((int) Math.max(1, timeout.toSeconds()))) {
                    throw new IllegalStateException("the connection is not valid");
                }
                next.complete(connection.getMetaData().getDatabaseProductName());
            } catch (Exception e) {
                next.completeExceptionally(e);
            }
        });
        return next;
    }
}
