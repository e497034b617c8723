package io.ferry.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

class DatabasesForTestsGivesAFreshDatabaseTest {

    @Test
    void eachCallGetsItsOwnWorkingDatabaseWhichCloseDrops() throws Exception {
        assumeTrue(Databases.setting(Databases.URL_VARIABLE).isEmpty(),
                "FERRY_TEST_DB_URL is set: forTests() hands out that database as is");

        // given two test databases
        Connection leaked = null;
        try (DatabaseHandle second = Databases.forTests()) {
            String firstName;
            try (DatabaseHandle first = Databases.forTests()) {
                // then both answer queries and are different, empty databases
                firstName = currentDatabase(first);
                assertThat(firstName).startsWith("ferry_test_");
                assertThat(currentDatabase(second)).startsWith("ferry_test_").isNotEqualTo(firstName);
                assertThat(first.description()).contains(firstName);
                try (Connection connection = Jdbc.connect(first); Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE migration (id text PRIMARY KEY)");
                }
                try (Connection connection = Jdbc.connect(second); Statement statement = connection.createStatement();
                     ResultSet tables = statement.executeQuery(
                             "SELECT count(*) FROM information_schema.tables WHERE table_name = 'migration'")) {
                    tables.next();
                    assertThat(tables.getInt(1)).isZero();
                }
                // an open connection must not stop close() from dropping the database
                leaked = Jdbc.connect(first);
                leaked.setAutoCommit(false);
            }

            // when the first is closed, then it is gone from the server while the second lives on
            try (Connection connection = Jdbc.connect(second);
                 PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
                query.setString(1, firstName);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    assertThat(rows.getInt(1)).isZero();
                }
            }
            assertThat(leaked.isValid(2)).as("connections to the dropped database were terminated").isFalse();
        } finally {
            if (leaked != null) {
                leaked.close();
            }
        }
    }

    private static String currentDatabase(DatabaseHandle handle) throws SQLException {
        try (Connection connection = Jdbc.connect(handle); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_database(), 1")) {
            rows.next();
            assertThat(rows.getInt(2)).isEqualTo(1);
            return rows.getString(1);
        }
    }
}
