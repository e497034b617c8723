package io.ferry.devstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A running PostgreSQL server we may create and drop databases on, reached through its maintenance
 * database as a superuser.
 *
 * @param description e.g. "local PostgreSQL at 127.0.0.1:5432"
 */
record PostgresServer(String host, int port, String adminDatabase, String username, String password,
                      String description) {

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    Connection connectAdmin() throws SQLException {
        return connect(adminDatabase);
    }

    Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", username);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        // Fail fast when probing: a server that does not answer in 5 s is not one to run tests against.
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", "ferry-devstack");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }
}
