package io.ferry.devstack;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * Creates a uniquely named database per test on a shared server and drops it on close, so tests never see
 * each other's tables and never need to clean up rows.
 */
final class ScratchDatabases {

    static final String PREFIX = "ferry_test_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScratchDatabases() {
    }

    static DatabaseHandle create(PostgresServer server) {
        String name = PREFIX + randomHex();
        try (Connection admin = server.connectAdmin(); Statement statement = admin.createStatement()) {
            // Names are generated here from [a-z0-9_], so quoting is enough; CREATE DATABASE takes no bind parameters.
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new DevstackException("could not create scratch database " + name + " on " + server.description()
                    + ": " + e.getMessage() + "; the user '" + server.username() + "' needs CREATEDB", e);
        }
        String description = server.description() + ", database " + name;
        return new DatabaseHandle(server.jdbcUrl(name), server.username(), server.password(), description,
                () -> drop(server, name));
    }

    /** Terminates whatever is still connected (a leaked pool must not keep the database alive), then drops it. */
    static void drop(PostgresServer server, String name) {
        try (Connection admin = server.connectAdmin()) {
            try (PreparedStatement terminate = admin.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                terminate.setString(1, name);
                terminate.executeQuery().close();
            }
            // FORCE (PostgreSQL 13+) also covers a client that reconnects between the terminate and the drop.
            boolean canForce = admin.getMetaData().getDatabaseMajorVersion() >= 13;
            try (Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS \"" + name + "\"" + (canForce ? " WITH (FORCE)" : ""));
            }
        } catch (SQLException e) {
            throw new DevstackException("could not drop scratch database " + name + " on " + server.description()
                    + ": " + e.getMessage() + "; drop it by hand with DROP DATABASE " + name, e);
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
