package io.ferry.devstack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The servers behind {@link Databases#forTests()} that are expensive to start: one per JVM, started on first
 * use and stopped when the JVM exits. Each test still gets its own database on them.
 */
final class TestPostgresServers {

    private static final Logger LOG = LoggerFactory.getLogger(TestPostgresServers.class);
    static final String CONTAINER_IMAGE = "postgres:16-alpine";
    private static final String EMBEDDED_DIR_PREFIX = "ferry-test-pg-";

    private static PostgresServer container;
    private static PostgresServer embedded;

    private TestPostgresServers() {
    }

    /** A postgres:16-alpine container; Testcontainers' reaper removes it even if this JVM is killed. */
    static synchronized PostgresServer container() {
        if (container == null) {
            PostgreSQLContainer started = new PostgreSQLContainer(CONTAINER_IMAGE);
            try {
                started.start();
            } catch (RuntimeException e) {
                throw new DevstackException("could not start a " + CONTAINER_IMAGE + " container: " + e.getMessage()
                        + "; check `docker info`, or set FERRY_TEST_DB_URL to use an existing PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "ferry-test-postgres-container-stop"));
            container = new PostgresServer(started.getHost(), started.getMappedPort(5432), started.getDatabaseName(),
                    started.getUsername(), started.getPassword(),
                    "PostgreSQL container " + CONTAINER_IMAGE + " at " + started.getHost() + ":" + started.getMappedPort(5432));
        }
        return container;
    }

    /**
     * An embedded PostgreSQL in a temp dir of its own (tests in parallel JVMs must not share one), after
     * stopping servers left behind by test JVMs that were killed.
     */
    static synchronized PostgresServer embedded() {
        if (embedded == null) {
            reapDirsOfDeadTestJvms();
            Path dir = Directories.createTemp(EMBEDDED_DIR_PREFIX);
            EmbeddedPostgresLauncher.Running running;
            try {
                running = EmbeddedPostgresLauncher.start(dir, 0);
            } catch (RuntimeException e) {
                Directories.deleteRecursively(dir);
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    running.stopper().close();
                    Directories.deleteRecursively(dir);
                } catch (Exception e) {
                    // Best effort at JVM exit; the next test JVM reaps whatever is left.
                }
            }, "ferry-test-postgres-embedded-stop"));
            embedded = running.server();
        }
        return embedded;
    }

    private static void reapDirsOfDeadTestJvms() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, EMBEDDED_DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                PostgresPidFile.read(dir)
                        .filter(pidFile -> !OrphanReaper.isAlive(pidFile.ownerPid()))
                        .ifPresent(pidFile -> {
                            LOG.info("cleaning up {} left by test JVM {} that no longer runs", dir, pidFile.ownerPid());
                            OrphanReaper.reap(dir, EmbeddedPostgresLauncher.pgData(dir));
                            Directories.deleteRecursively(dir);
                        });
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not clean up old {}* dirs in {}: {}", EMBEDDED_DIR_PREFIX, tmp, e.getMessage());
        }
    }
}
