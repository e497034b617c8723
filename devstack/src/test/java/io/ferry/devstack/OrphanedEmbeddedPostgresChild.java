package io.ferry.devstack;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link EmbeddedPostgresReapsOrphanTest}: starts an embedded PostgreSQL, says READY,
 * and waits to be killed with SIGKILL, which leaves the postgres behind as an orphan.
 */
public final class OrphanedEmbeddedPostgresChild {

    private OrphanedEmbeddedPostgresChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        DatabaseHandle handle = Databases.embedded(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println("READY " + handle.jdbcUrl());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
