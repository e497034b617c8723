package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.qemu.GuestImage;
import io.ferry.hypervisor.qemu.QemuHypervisor;
import io.ferry.hypervisor.qemu.SerialConsole;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole of ferry with the QEMU driver: a real guest moves hv-01 -> hv-02 through Kafka and the event log. */
@EnabledIf(value = "qemuInstalled", disabledReason = "qemu-system-x86_64 and qemu-img are not installed, so no real "
        + "guest can be migrated here (apt-get install qemu-system-x86 qemu-utils busybox-static; .ci/run does)")
class ARealQemuGuestMigratesAndKeepsTickingTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack();

    static boolean qemuInstalled() {
        return QemuHypervisor.installed("qemu-system-x86_64") && QemuHypervisor.installed("qemu-img");
    }

    @BeforeAll
    static void startQemuHosts() throws Exception {
        GuestImage.ensure(GuestImage.defaultDir()); // built from Debian packages the first time, then cached
        stack.startAgent("hv-01", "SERVER2:256:1", "idle", qemu("hv-01"));
        stack.startAgent("hv-02", "", "idle", qemu("hv-02"));
    }

    /** A QEMU host: its guests rewrite 64 MiB of their memory in a loop. */
    private static Map<String, String> qemu(String host) {
        return Map.of("ferry.agent.driver", "qemu", "ferry.agent.qemu.dirty-mb", "64",
                "ferry.agent.qemu.run-dir", stack.shared().resolve("qemu-" + host).toString(),
                "ferry.agent.keep-guests", "false"); // its QEMUs end with the test's agents
    }

    @Test
    void the_guest_keeps_counting_on_the_destination_while_the_source_is_left_postmigrate_and_the_disk_moves()
            throws Exception {
        ConfigurableApplicationContext hv01 = stack.agent("hv-01");
        ConfigurableApplicationContext hv02 = stack.agent("hv-02");
        // given SERVER2 booted as a QEMU guest on hv-01 and ticking, and both hosts reported
        QemuHypervisor source = hv01.getBean(QemuHypervisor.class);
        QemuHypervisor destination = hv02.getBean(QemuHypervisor.class);
        Path sourceConsole = source.serialLog("SERVER2").orElseThrow();
        long sourcePid = source.pid("SERVER2").orElseThrow();
        FerryStack.await("SERVER2 to boot and tick", Duration.ofSeconds(60), () -> ticks(sourceConsole) >= 5);
        stack.awaitInventory(2, 1);
        String disk = Path.of(source.vms().getFirst().spec().diskPath()).getFileName().toString();
        long epochBefore = hv01.getBean(StorageLeases.class).current(disk).epoch();

        // when a client submits its migration to hv-02 on the requests topic
        String requestId = "qemu-e2e-" + UUID.randomUUID();
        new TopicRecords(stack).sendRequest(requestId, "SERVER2", "hv-02", "e2e-test");

        // then it completes through the six stages, recorded in the log
        FerryStack.await("the migration to complete", Duration.ofSeconds(90), () -> "COMPLETED".equals(stack.stateOf(requestId)));
        UUID migrationId = stack.jdbc().queryForObject("select migration_id from migrations where request_id = ?", UUID.class,
                requestId);
        List<String> types = stack.jdbc().queryForList(
                "select type from migration_events where migration_id = ? order by version", String.class, migrationId);
        assertThat(types).contains("SkeletonCreated", "SourceConnected", "PrecopyRoundCompleted", "PrecopyConverged",
                "FinalCopyCompleted", "StorageReleased", "StorageAcquired", "VmResumed", "NetworkAnnounced", "SourceStopped");
        assertThat(types.getLast()).isEqualTo("MigrationCompleted");
        Map<String, Object> row = stack.jdbc().queryForMap("select * from migrations where migration_id = ?", migrationId);
        assertThat((Long) row.get("downtime_ms")).isNotNull().isPositive();
        assertThat((Long) row.get("bytes_sent")).isGreaterThan(1L << 20);

        // and the guest kept running: its counter goes on on hv-02 from where hv-01 stopped, without a second boot
        SerialConsole before = SerialConsole.read(sourceConsole);
        Path destinationConsole = destination.serialLog("SERVER2").orElseThrow();
        FerryStack.await("SERVER2 to tick on hv-02", Duration.ofSeconds(30), () -> ticks(destinationConsole) >= 5);
        SerialConsole after = SerialConsole.read(destinationConsole);
        String consoles = "source console:\n" + text(sourceConsole) + "\ndestination console:\n" + text(destinationConsole);
        assertThat(before.readyLines()).as(consoles).isEqualTo(1);
        assertThat(after.readyLines()).as(consoles).isZero();
        assertThat(after.firstTick().n()).isGreaterThan(before.lastTick().n()).isLessThanOrEqualTo(before.lastTick().n() + 2);
        assertThat(destination.vms()).extracting(Hypervisor.VmInfo::state).containsExactly(VmState.RUNNING);

        // and the source's QEMU was left paused in postmigrate, then stopped
        QemuHypervisor.Departure departure = source.departure(migrationId.toString()).orElseThrow();
        assertThat(departure.runStateAtStop()).isEqualTo("postmigrate");
        assertThat(departure.pid()).isEqualTo(sourcePid);
        assertThat(ProcessHandle.of(sourcePid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(source.vms()).isEmpty();

        // and the disk moved: hv-02 holds the lease with a higher epoch, and QEMU's own image lock is its QEMU's
        StorageLeases.Lease lease = hv02.getBean(StorageLeases.class).current(disk);
        assertThat(lease.owner()).isEqualTo("hv-02");
        assertThat(lease.epoch()).isGreaterThan(epochBefore);
        assertThat(imageLockedByAnotherProcess(destination.vms().getFirst().spec().diskPath())).isTrue();
    }

    private static String text(Path console) {
        try {
            return java.nio.file.Files.readString(console, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int ticks(Path console) {
        return SerialConsole.read(console).ticks().size();
    }

    /** qemu-img takes the image's shared lock to read it: refused while a running QEMU holds it for writing. */
    private static boolean imageLockedByAnotherProcess(String image) throws Exception {
        Process info = new ProcessBuilder("qemu-img", "info", image).redirectErrorStream(true).start();
        String output = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return info.waitFor() != 0 && output.contains("lock");
    }
}
