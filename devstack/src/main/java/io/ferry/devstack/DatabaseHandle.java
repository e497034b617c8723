package io.ferry.devstack;

/**
 * Where to reach a PostgreSQL database, plus how to give it back. {@link #close()} runs the closer
 * (drop the scratch database, stop the embedded server, ...) and is safe to call more than once.
 *
 * @param jdbcUrl     e.g. {@code jdbc:postgresql://127.0.0.1:5432/ferry_test_1a2b...}
 * @param username    user to connect as
 * @param password    password; empty when the server trusts local connections
 * @param description one line for logs: what kind of server, where, and which database
 * @param closer      releases whatever backs this handle; wrapped so it runs at most once
 */
public record DatabaseHandle(String jdbcUrl, String username, String password, String description,
                             AutoCloseable closer) implements AutoCloseable {

    public DatabaseHandle {
        closer = Closers.once(closer);
    }

    @Override
    public void close() {
        Closers.close(closer, description);
    }

    @Override
    public String toString() {
        // The password stays out of logs.
        return "DatabaseHandle[" + description + ", " + jdbcUrl + ", user " + username + "]";
    }
}
