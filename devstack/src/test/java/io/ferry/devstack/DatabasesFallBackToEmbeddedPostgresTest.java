package io.ferry.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

/**
 * The last resort of {@link Databases#forTests()} (no env URL, no Docker, no local server) is exercised
 * directly, since on most machines one of the earlier choices wins.
 */
class DatabasesFallBackToEmbeddedPostgresTest {

    @Test
    void theSharedEmbeddedServerHandsOutScratchDatabases() throws Exception {
        // given the per-JVM embedded server
        PostgresServer server = TestPostgresServers.embedded();

        // when a scratch database is created on it
        String name;
        try (DatabaseHandle db = ScratchDatabases.create(server)) {
            // then it answers queries
            try (Connection connection = Jdbc.connect(db); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT current_database(), 1")) {
                rows.next();
                name = rows.getString(1);
                assertThat(name).startsWith(ScratchDatabases.PREFIX);
                assertThat(rows.getInt(2)).isEqualTo(1);
            }
            assertThat(db.description()).startsWith("embedded PostgreSQL");
        }
        // and is dropped on close while the server keeps running for the next test
        assertThat(TestPostgresServers.embedded()).isSameAs(server);
        try (Connection admin = server.connectAdmin(); Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        }
    }
}
