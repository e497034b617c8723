package io.ferry.cli.commands.replay;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayExitsFourAndShowsEachDivergenceTest {
    private static final String STEPS = """
            "steps":[{"version":1,"type":"MigrationRequested","recordedAt":"2026-05-04T10:15:30.100Z","actor":"ops",
                      "stateAfter":"QUEUED"},
                     {"version":2,"type":"MigrationAdmitted","recordedAt":"2026-05-04T10:15:30.200Z",
                      "actor":"orchestrator","stateAfter":"SETUP"}]""";

    @Test
    void a_consistent_replay_prints_each_step_and_exits_0() throws Exception {
        // given the server replays the migration's log without divergence
        String report = "{\"migrationId\":\"" + ID + "\",\"consistent\":true," + STEPS + ",\"divergences\":[]}";
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.completed(ID))
                .on("GET /api/migrations/" + ID + "/replay?until=2", 200, report)) {

            // when replay runs up to version 2
            Run run = Run.ferry(api, "replay", ID, "--until", "2");

            // then each step is a line with its version, type, actor and state after
            List<String> lines = run.out().lines().toList();
            assertThat(lines.get(1)).matches("VER\\s+TYPE\\s+ACTOR\\s+STATE AFTER\\s+RECORDED AT");
            assertThat(lines.get(2)).matches("\\s*1\\s+MigrationRequested\\s+ops\\s+QUEUED\\s+2026-05-04 10:15:30.100Z");
            assertThat(lines.get(3)).matches("\\s*2\\s+MigrationAdmitted\\s+orchestrator\\s+SETUP\\s+.*");
            assertThat(run.out()).contains("consistent");
            assertThat(run.exitCode()).isZero();
        }
    }

    @Test
    void a_divergence_is_shown_loudly_and_exits_4() throws Exception {
        // given the current code decides otherwise after version 1
        String report = "{\"migrationId\":\"" + ID + "\",\"consistent\":false," + STEPS + ",\"divergences\":[{\"inputSeq\":2,"
                + "\"afterVersion\":1,\"input\":{\"type\":\"Admit\"},\"recorded\":[\"MigrationAdmitted\"],"
                + "\"decided\":[\"MigrationAdmitted\",\"StageCommandIssued\"],\"detail\":\"one more command\"}]}";
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.completed(ID))
                .on("GET /api/migrations/" + ID + "/replay", 200, report)) {

            // when replay runs
            Run run = Run.ferry(api, "replay", ID);

            // then the divergence is spelled out and the exit code is 4
            assertThat(run.out()).contains("!! 1 DIVERGENCE")
                    .contains("!! input #2 after version 1: {\"type\":\"Admit\"}")
                    .contains("!!   recorded: MigrationAdmitted")
                    .contains("!!   decided:  MigrationAdmitted, StageCommandIssued")
                    .contains("!!   one more command");
            assertThat(run.err()).contains("diverged");
            assertThat(run.exitCode()).isEqualTo(4);
        }
    }
}
