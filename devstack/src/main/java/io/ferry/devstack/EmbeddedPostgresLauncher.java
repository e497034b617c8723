package io.ferry.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs real PostgreSQL binaries (shipped in zonky's jars, PostgreSQL 14) with data in
 * {@code <dataDir>/pgdata}, reusing an existing cluster there so data survives restarts.
 */
final class EmbeddedPostgresLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);
    static final String USER = "postgres";
    static final String ADMIN_DATABASE = "postgres";

    private EmbeddedPostgresLauncher() {
    }

    /** A started server and how to stop it. */
    record Running(PostgresServer server, AutoCloseable stopper) {
    }

    static Path pgData(Path dataDir) {
        return dataDir.resolve("pgdata");
    }

    static Running start(Path dataDir, int requestedPort) {
        return start(dataDir, requestedPort, true);
    }

    /**
     * @param ownShutdownHook whether zonky stops the server from its own shutdown hook. A caller that stops it in
     *     order (after the apps that use it) says no: JVM shutdown hooks run all at once, and a database that
     *     vanishes first leaves those apps failing while they stop.
     */
    static Running start(Path dataDir, int requestedPort, boolean ownShutdownHook) {
        return start(dataDir, requestedPort, ownShutdownHook, Ports::freePort);
    }

    /**
     * @param pick chooses the port when {@code requestedPort} is 0, again when the one it chose was taken before
     *     PostgreSQL bound it (PostgreSQL cannot bind port 0 and say which port it got)
     */
    static Running start(Path dataDir, int requestedPort, boolean ownShutdownHook, java.util.function.IntSupplier pick) {
        if (requestedPort < 0 || requestedPort > 65535) {
            throw new IllegalArgumentException("PostgreSQL port must be 0 (pick a free one) or 1-65535, was " + requestedPort);
        }
        Path dir = dataDir.toAbsolutePath();
        Path pgData = pgData(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DevstackException("could not create PostgreSQL data dir " + dir + ": " + e.getMessage(), e);
        }
        OrphanReaper.reap(dir, pgData);
        if (requestedPort == 0) {
            return Ports.startOnFreePort("PostgreSQL", pick, port -> startOn(dir, port, ownShutdownHook));
        }
        return startOn(dir, requestedPort, ownShutdownHook);
    }

    private static Running startOn(Path dir, int port, boolean ownShutdownHook) {
        Path pgData = pgData(dir);
        if (!Ports.isFree(port)) {
            throw new DevstackException("could not start PostgreSQL on port " + port
                    + ": address in use; free it or choose another port (0 picks a free one)");
        }

        long started = System.nanoTime();
        boolean reused = Files.exists(pgData.resolve("PG_VERSION"));
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    // Keep an existing cluster: `./ferry up` after `./ferry down` should find its data again.
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setRegisterShutdownHook(ownShutdownHook)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new DevstackException("could not start embedded PostgreSQL on port " + port + " with data in "
                    + pgData + ": " + e.getMessage()
                    + "; see the postgres output above, or delete " + pgData + " to start from an empty cluster", e);
        }

        long postmasterPid = PostgresPidFile.postmasterPid(pgData).orElse(-1);
        new PostgresPidFile(postmasterPid, ProcessHandle.current().pid(), port).write(dir);
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        String description = "embedded PostgreSQL 14 (zonky) at 127.0.0.1:" + port + ", data in " + pgData;
        LOG.info("{} {} in {} ms (postmaster pid {})", reused ? "restarted" : "initialised and started",
                description, millis, postmasterPid);

        PostgresServer server = new PostgresServer("127.0.0.1", port, ADMIN_DATABASE, USER, "", description);
        AutoCloseable stopper = () -> {
            try {
                postgres.close();
            } finally {
                PostgresPidFile.delete(dir);
            }
        };
        return new Running(server, stopper);
    }
}
