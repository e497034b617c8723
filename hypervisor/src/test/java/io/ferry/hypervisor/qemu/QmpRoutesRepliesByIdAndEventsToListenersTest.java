package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The QMP client against a real QEMU (an empty machine: no guest needed to talk QMP). */
class QmpRoutesRepliesByIdAndEventsToListenersTest {
    @TempDir
    Path dir;
    private QemuProcess qemu;

    @BeforeEach
    void startQemu() {
        QemuGuests.assumeQemu();
        QemuCommandLine.Files files = QemuCommandLine.Files.in(dir, "empty");
        qemu = QemuProcess.start("empty", List.of(QemuGuests.BINARY, "-M", "none", "-nodefaults", "-display", "none", "-S",
                "-qmp", "unix:" + files.qmpSocket() + ",server=on,wait=off"), files, Duration.ofSeconds(30));
    }

    @AfterEach
    void stopQemu() {
        if (qemu != null) {
            qemu.quit(Duration.ofSeconds(5));
        }
    }

    @Test
    void commands_issued_at_once_from_many_threads_each_get_their_own_reply() throws Exception {
        // given one connection shared by many threads
        QmpClient qmp = qemu.qmp();

        // when they ask different questions at the same time, each naming its own object
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<JsonNode>> replies = IntStream.range(0, 40).mapToObj(i -> threads.submit(() -> i % 2 == 0
                    ? qmp.execute("qom-get", Map.of("path", "/machine", "property", "type"))
                    : qmp.execute("query-status"))).toList();

            // then every thread got the answer to its own command, not its neighbour's
            for (int i = 0; i < replies.size(); i++) {
                JsonNode reply = replies.get(i).get(30, TimeUnit.SECONDS);
                if (i % 2 == 0) {
                    assertThat(reply.asString()).isEqualTo("none-machine");
                } else {
                    assertThat(reply.path("status").asString()).isEqualTo("prelaunch");
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void events_reach_the_listeners_with_qemus_timestamps_while_the_command_gets_its_reply() {
        // given a listener
        List<QmpEvent> events = new CopyOnWriteArrayList<>();
        qemu.qmp().onEvent(events::add);
        Instant before = Instant.now().minusSeconds(1);

        // when the machine is run and stopped (QEMU sends the event before the command's reply)
        qemu.qmp().execute("cont");
        qemu.qmp().execute("stop");

        // then both events arrived, in order, dated by QEMU, and the commands got their replies
        assertThat(events).extracting(QmpEvent::name).containsExactly("RESUME", "STOP");
        assertThat(events.getLast().at()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(qemu.qmp().execute("query-status").path("status").asString()).isEqualTo("paused");
    }

    @Test
    void a_refused_command_fails_with_qemus_error_and_the_connection_goes_on() {
        // when QEMU is asked for a command it does not have, then the caller gets QEMU's class and description
        assertThatThrownBy(() -> qemu.qmp().execute("no-such-command"))
                .isInstanceOfSatisfying(QmpException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                    assertThat(e.desc()).contains("no-such-command");
                });

        // and the next command is answered as usual
        assertThat(qemu.qmp().execute("query-status").path("running").asBoolean(true)).isFalse();
    }

    @Test
    void when_qemu_goes_away_a_command_fails_at_once_saying_so_instead_of_waiting() throws Exception {
        // given QEMU quit
        qemu.qmp().execute("quit");
        qemu.qmp().closed().get(10, TimeUnit.SECONDS);

        // when a command is issued, then it fails as disconnected, well before its timeout
        long started = System.nanoTime();
        assertThatThrownBy(() -> qemu.qmp().execute("query-status", null, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(QmpException.class, e -> assertThat(e.errorClass())
                        .isEqualTo(QmpException.DISCONNECTED));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
}
