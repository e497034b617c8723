package io.ferry.devstack;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Real PostgreSQL for tests, the demo and {@code ./ferry up}; never a mock. */
public final class Databases {

    private static final Logger LOG = LoggerFactory.getLogger(Databases.class);

    static final String URL_VARIABLE = "FERRY_TEST_DB_URL";
    static final String USER_VARIABLE = "FERRY_TEST_DB_USER";
    static final String PASSWORD_VARIABLE = "FERRY_TEST_DB_PASSWORD";
    static final String LOCAL_HOST = "127.0.0.1";
    static final int LOCAL_PORT = 5432;

    private Databases() {
    }

    /**
     * A database for one test, from the first of these that works:
     * <ol>
     *   <li>{@code FERRY_TEST_DB_URL} (+ {@code _USER}, {@code _PASSWORD}), as system property or environment
     *       variable: used as is, never dropped;</li>
     *   <li>a postgres:16-alpine Testcontainers container, when a Docker engine answers;</li>
     *   <li>the local PostgreSQL at 127.0.0.1:5432 as user postgres without password;</li>
     *   <li>an embedded PostgreSQL (zonky) in a temporary directory.</li>
     * </ol>
     * In cases 2-4 every call gets a fresh, empty database {@code ferry_test_<random hex>} that close() drops.
     */
    public static DatabaseHandle forTests() {
        Optional<String> url = setting(URL_VARIABLE);
        if (url.isPresent()) {
            DatabaseHandle handle = new DatabaseHandle(url.get(), setting(USER_VARIABLE).orElse("postgres"),
                    setting(PASSWORD_VARIABLE).orElse(""), URL_VARIABLE + " " + url.get(), Closers.nothing());
            LOG.info("test database: {} (chosen because {} is set)", handle.jdbcUrl(), URL_VARIABLE);
            return handle;
        }
        String why = URL_VARIABLE + " is unset";
        DockerProbe.Result docker = DockerProbe.check();
        if (docker.available()) {
            return announce(ScratchDatabases.create(TestPostgresServers.container()), why + " and " + docker.reason());
        }
        why += ", " + docker.reason();
        Optional<PostgresServer> local = localServer();
        if (local.isPresent()) {
            return announce(ScratchDatabases.create(local.get()), why + ", and it answers");
        }
        why += ", and no usable PostgreSQL at " + LOCAL_HOST + ":" + LOCAL_PORT;
        return announce(ScratchDatabases.create(TestPostgresServers.embedded()), why);
    }

    /**
     * An embedded PostgreSQL (zonky, PostgreSQL 14) with its cluster in {@code dataDir/pgdata}; port 0 picks a
     * free port. An existing cluster in dataDir is reused. A server orphaned on the same dataDir by a killed
     * JVM is stopped first. The handle points at the {@code postgres} database as user postgres (trust auth);
     * close() stops the server and keeps the data. The caller must close it, also when its JVM is stopped (a
     * server left by a killed JVM is stopped by the next start on the same dataDir).
     */
    public static DatabaseHandle embedded(Path dataDir, int port) {
        EmbeddedPostgresLauncher.Running running = EmbeddedPostgresLauncher.start(dataDir, port, false);
        PostgresServer server = running.server();
        return new DatabaseHandle(server.jdbcUrl(server.adminDatabase()), server.username(), server.password(),
                server.description(), running.stopper());
    }

    private static DatabaseHandle announce(DatabaseHandle handle, String why) {
        LOG.info("test database: {} (chosen because {})", handle.description(), why);
        return handle;
    }

    /** The local server if it accepts user postgres without a password; the reason is logged otherwise. */
    private static Optional<PostgresServer> localServer() {
        if (!Ports.answers(LOCAL_HOST, LOCAL_PORT, Duration.ofMillis(500))) {
            return Optional.empty();
        }
        PostgresServer server = new PostgresServer(LOCAL_HOST, LOCAL_PORT, "postgres", "postgres", "",
                "local PostgreSQL at " + LOCAL_HOST + ":" + LOCAL_PORT);
        try (Connection connection = server.connectAdmin(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return Optional.of(server);
        } catch (SQLException e) {
            LOG.info("not using the PostgreSQL at {}:{}: connecting as postgres without a password failed ({}); "
                    + "set {} to use it with credentials", LOCAL_HOST, LOCAL_PORT, e.getMessage(), URL_VARIABLE);
            return Optional.empty();
        }
    }

    /** System property first (handy in IDE run configs), then environment variable. */
    static Optional<String> setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
