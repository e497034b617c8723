package io.ferry.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka and PostgreSQL cannot bind port 0 and tell us their port, so a port is picked free and bound a moment later:
 * when another process takes it in between, the start picks another port instead of failing ("Port N was already in
 * use" in 1 of 8 demos).
 */
class AServerWhosePickedPortIsTakenBeforeItBindsStartsOnAnotherTest {
    @TempDir
    Path dir;
    private ServerSocket thief;
    private final List<Integer> picked = new ArrayList<>();

    @BeforeEach
    void takeAPort() throws Exception {
        thief = new ServerSocket();
        thief.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void releaseThePort() throws Exception {
        thief.close();
    }

    /** Picks the port another socket took first, then free ones (as a race with another process would). */
    private IntSupplier pickerLosingTheFirstRace() {
        return () -> {
            int port = picked.isEmpty() ? thief.getLocalPort() : Ports.freePort();
            picked.add(port);
            return port;
        };
    }

    @Test
    void kafka_starts_on_another_port_and_advertises_that_one() {
        // when Kafka starts on a picked port that another socket took before Kafka bound it
        try (KafkaNode node = KafkaNode.start(dir.resolve("kafka"), 0, pickerLosingTheFirstRace())) {
            // then it started on the next port picked, and clients are told that one
            assertThat(picked).hasSize(2);
            assertThat(node.port()).isEqualTo(picked.get(1)).isNotEqualTo(thief.getLocalPort());
            assertThat(node.bootstrapServers()).isEqualTo("127.0.0.1:" + picked.get(1));
            assertThat(node.isRunning()).isTrue();
        }
    }

    @Test
    void postgres_starts_on_another_port_and_answers_there() throws Exception {
        // when PostgreSQL starts on a picked port that another socket took before PostgreSQL bound it
        EmbeddedPostgresLauncher.Running running = EmbeddedPostgresLauncher.start(dir.resolve("pg"), 0, false,
                pickerLosingTheFirstRace());
        try {
            // then it started on the next port picked and answers queries there
            assertThat(picked).hasSize(2);
            assertThat(running.server().port()).isEqualTo(picked.get(1));
            try (Connection connection = running.server().connectAdmin();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select 1")) {
                assertThat(rows.next()).isTrue();
            }
        } finally {
            running.stopper().close();
        }
    }
}
