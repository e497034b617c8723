package io.ferry.devstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Plain JDBC against a {@link DatabaseHandle}, as an application would connect. */
final class Jdbc {

    private Jdbc() {
    }

    static Connection connect(DatabaseHandle handle) throws SQLException {
        return DriverManager.getConnection(handle.jdbcUrl(), handle.username(), handle.password());
    }
}
