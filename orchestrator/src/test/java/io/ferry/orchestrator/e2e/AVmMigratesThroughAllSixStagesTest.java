package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.simulated.SimulatedHypervisor;
import io.ferry.agent.network.SimulatedSwitch;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

class AVmMigratesThroughAllSixStagesTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .agent("hv-01", "SERVER2:64", 20_000) // a guest that keeps writing while it migrates
            .agent("hv-02", "", 20_000);

    @Test
    void a_request_on_the_topic_moves_the_running_vm_with_its_memory_page_for_page() throws Exception {
        ConfigurableApplicationContext hv01 = stack.agent("hv-01");
        ConfigurableApplicationContext hv02 = stack.agent("hv-02");
        // given both hosts have reported, SERVER2 running on hv-01
        FerryStack.await("inventory from both agents", Duration.ofSeconds(60), () -> stack.jdbc().queryForObject(
                "select count(*) from host_vms where vm_id = 'SERVER2' and host = 'hv-01'", Integer.class) == 1
                && stack.jdbc().queryForObject("select count(*) from hosts where host = 'hv-02'", Integer.class) == 1);

        // when a client submits a migration to the requests topic
        String requestId = "e2e-" + UUID.randomUUID();
        new TopicRecords(stack).sendRequest(requestId, "SERVER2", "hv-02", "e2e-test");

        // then it completes
        FerryStack.await("the migration to complete", Duration.ofSeconds(60), () -> "COMPLETED".equals(state(requestId)));
        UUID migrationId = stack.jdbc().queryForObject("select migration_id from migrations where request_id = ?", UUID.class,
                requestId);

        // and the log holds the complete, ordered history of the six stages
        List<String> types = stack.jdbc().queryForList(
                "select type from migration_events where migration_id = ? order by version", String.class, migrationId);
        // (the source's two switchover outcomes, FinalCopyCompleted and StorageReleased, may be consumed before or after
        // the destination's acquire and resume: the source hands the disk over, then reports, while the destination
        // resumes at once; so they are checked apart)
        // (likewise stage 6's two steps, issued with the switchover, run on their two hosts once the destination
        // resumed, and may answer in either order, the source's even before the resume is consumed)
        List<String> withoutRelease = new ArrayList<>(collapseRounds(types));
        for (String unordered : List.of("StorageReleased", "FinalCopyCompleted", "NetworkAnnounced", "SourceStopped")) {
            assertThat(withoutRelease.remove(unordered)).as(unordered).isTrue();
        }
        assertThat(withoutRelease).containsExactly(
                "MigrationRequested", "MigrationAdmitted", "StageCommandIssued",
                "SkeletonCreated", "StageCommandIssued", "StageCommandIssued",
                "SourceConnected",
                "PrecopyRoundCompleted+", "PrecopyConverged",
                "StageCommandIssued", "StageCommandIssued", "StageCommandIssued", "StageCommandIssued",
                "StageCommandIssued", "StageCommandIssued",
                "StorageAcquired",
                "VmResumed",
                "MigrationCompleted");
        int switchoverIssued = types.indexOf("PrecopyConverged") + 6;
        for (String sourceOutcome : List.of("FinalCopyCompleted", "StorageReleased", "SourceStopped")) {
            assertThat(types.indexOf(sourceOutcome)).as(sourceOutcome).isGreaterThan(switchoverIssued)
                    .isLessThan(types.indexOf("MigrationCompleted"));
        }
        assertThat(types.indexOf("NetworkAnnounced")).isGreaterThan(types.indexOf("VmResumed"))
                .isLessThan(types.indexOf("MigrationCompleted"));
        List<String> actions = stack.jdbc().queryForList("select payload_json->>'action' || '@' || (payload_json->>'targetHost') "
                + "from migration_events where migration_id = ? and type = 'StageCommandIssued' order by version",
                String.class, migrationId);
        assertThat(actions).containsExactly("PREPARE_DESTINATION@hv-02", "CONNECT_SOURCE@hv-01", "START_PRECOPY@hv-01",
                "FINAL_COPY@hv-01", "RELEASE_STORAGE@hv-01", "ACQUIRE_STORAGE@hv-02", "RESUME@hv-02",
                "ANNOUNCE_NETWORK@hv-02", "STOP_SOURCE@hv-01");

        // and every entry is correlated to the request and names who caused it (a topic requester as it claimed, kafka:…)
        assertThat(stack.jdbc().queryForList("select distinct correlation_id from migration_events where migration_id = ?",
                String.class, migrationId)).containsExactly(requestId);
        assertThat(stack.jdbc().queryForList("select distinct actor from migration_events where migration_id = ?",
                String.class, migrationId)).containsExactlyInAnyOrder("kafka:e2e-test", "orchestrator:scheduler", "agent:hv-01",
                "agent:hv-02");

        // and the destination resumed with exactly the memory the source had at pause, page for page
        int[] atPause = hv01.getBean(SimulatedHypervisor.class).switchoverFingerprint(migrationId.toString()).orElseThrow();
        int[] atResume = hv02.getBean(SimulatedHypervisor.class).switchoverFingerprint(migrationId.toString()).orElseThrow();
        assertThat(atResume).hasSize(64 * 256).isEqualTo(atPause);

        // and the VM runs on hv-02 only, which holds the disk lease with a higher epoch, and the switch learned its MAC
        assertThat(hv02.getBean(SimulatedHypervisor.class).vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
        assertThat(hv01.getBean(SimulatedHypervisor.class).vms()).isEmpty();
        StorageLeases.Lease lease = hv02.getBean(StorageLeases.class).current("SERVER2.vhdx");
        assertThat(lease.owner()).isEqualTo("hv-02");
        assertThat(lease.epoch()).isEqualTo(2);
        String mac = hv02.getBean(SimulatedHypervisor.class).vm("SERVER2").spec().macAddress();
        assertThat(hv02.getBean(SimulatedSwitch.class).portOf(mac)).contains("hv-02");

        // and the read model carries the figures
        Map<String, Object> row = stack.jdbc().queryForMap("select * from migrations where migration_id = ?", migrationId);
        assertThat((Long) row.get("downtime_ms")).isNotNull();
        assertThat((Long) row.get("pages_sent")).isGreaterThan(0L);
        assertThat(row.get("channel")).isEqualTo("TOPIC");
    }

    private static String state(String requestId) {
        return stack.jdbc().query("select state from migrations where request_id = ?", rs -> rs.next() ? rs.getString(1) : null,
                requestId);
    }

    private static List<String> collapseRounds(List<String> types) {
        List<String> out = new ArrayList<>();
        for (String type : types) {
            if (type.equals("PrecopyRoundCompleted")) {
                if (!out.isEmpty() && out.getLast().equals("PrecopyRoundCompleted+")) {
                    continue;
                }
                out.add("PrecopyRoundCompleted+");
            } else {
                out.add(type);
            }
        }
        return out;
    }
}
