package io.ferry.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresReapsOrphanTest {

    @TempDir
    Path dataDir;

    private ChildJvm child;
    private long orphanPid = -1;

    @Test
    void aPostgresOrphanedByAKilledJvmIsStoppedWhenTheSameDataDirIsStartedAgain() throws Exception {
        int port = Ports.freePort();

        // given a JVM that started an embedded PostgreSQL on dataDir and was then killed with SIGKILL
        child = ChildJvm.start(OrphanedEmbeddedPostgresChild.class, dataDir.toString(), Integer.toString(port));
        child.awaitLine("READY ", 90);
        child.close(); // SIGKILL: no shutdown hooks run
        orphanPid = PostgresPidFile.read(dataDir).orElseThrow().postgresPid();
        assertThat(OrphanReaper.isAlive(orphanPid)).as("postgres outlives the killed JVM").isTrue();
        assertThat(Ports.answers("127.0.0.1", port, Duration.ofSeconds(1))).isTrue();

        // when this JVM starts an embedded PostgreSQL on the same data dir and port
        try (DatabaseHandle db = Databases.embedded(dataDir, port)) {
            // then the orphan is gone and the new server answers on that port
            assertThat(OrphanReaper.isAlive(orphanPid)).as("orphan postgres %s was stopped", orphanPid).isFalse();
            assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
            long newPid = PostgresPidFile.read(dataDir).orElseThrow().postgresPid();
            assertThat(newPid).isNotEqualTo(orphanPid);
            try (Connection connection = Jdbc.connect(db);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT pg_backend_pid() <> 0")) {
                rows.next();
                assertThat(rows.getBoolean(1)).isTrue();
            }
        }
        // and close() stops it and forgets it
        assertThat(Ports.answers("127.0.0.1", port, Duration.ofMillis(500))).isFalse();
        assertThat(PostgresPidFile.read(dataDir)).isEmpty();
    }

    @AfterEach
    void killEverythingWeStarted() throws InterruptedException {
        if (child != null) {
            child.close();
        }
        // if the test failed before the reaper ran, do not leave a postgres behind
        Set<Long> pids = new HashSet<>(Set.of(orphanPid));
        PostgresPidFile.read(dataDir).ifPresent(file -> pids.add(file.postgresPid()));
        PostgresPidFile.postmasterPid(EmbeddedPostgresLauncher.pgData(dataDir)).ifPresent(pids::add);
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(postgres -> {
                List<ProcessHandle> family = postgres.descendants().toList();
                postgres.destroyForcibly();
                family.forEach(ProcessHandle::destroyForcibly);
            });
        }
    }
}
