package io.ferry.cli.commands;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import org.junit.jupiter.api.Test;

class TheDowntimeLineSaysWhereTheBlackoutWentTest {
    /** QEMU-like: the device state goes inside the tail, and the guest waited 40 ms for its authorisation. */
    private static final String BREAKDOWN = """
            {"totalUs":74000,"lastPageUs":52000,"deviceStateUs":null,"digestCheckUs":3100,"storageHandoffUs":4000,\
            "resumeUs":9200,"otherUs":5700,"authorisationWaitUs":40000}""";
    private static final String LINE = "74 ms = last page 52 + device state – + digest 3.1 + storage 4.0 + resume 9.2 "
            + "+ other 5.7, paused 40 ms early awaiting authorisation";

    private static String completedWith(String breakdown) {
        return Fixtures.completed(ID).replace("\"bytesSent\":1073741824}",
                "\"bytesSent\":1073741824,\"downtimeBreakdown\":" + breakdown + "}");
    }

    @Test
    void status_shows_the_phases_adding_up_to_the_downtime() throws Exception {
        // given a completed migration whose agents measured where the blackout went
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, completedWith(BREAKDOWN))) {

            // when status runs
            Run run = Run.ferry(api, "status", ID);

            // then the downtime line gives each phase in ms, "–" for the one not timed, and the early pause
            assertThat(run.out()).contains("downtime      " + LINE + "\n");
        }
    }

    @Test
    void status_without_a_breakdown_shows_the_downtime_alone() throws Exception {
        // given a completed migration whose agents did not measure the breakdown (null, or absent from older servers)
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, completedWith("null"))
                .on("GET /api/migrations/" + Fixtures.OTHER_ID, 200, Fixtures.completed(Fixtures.OTHER_ID))) {

            // when status runs on each
            Run withNull = Run.ferry(api, "status", ID);
            Run withoutField = Run.ferry(api, "status", Fixtures.OTHER_ID);

            // then the downtime reads as before
            assertThat(withNull.out()).contains("downtime      41 ms\n");
            assertThat(withoutField.out()).contains("downtime      41 ms\n");
        }
    }

    @Test
    void history_narrates_the_resume_with_the_breakdown_from_the_events_avro_json() throws Exception {
        // given a history whose VmResumed carries the breakdown as the log's JSON does: unions wrapped by branch
        String wrapped = BREAKDOWN.replace("\"authorisationWaitUs\":40000", "\"authorisationWaitUs\":{\"long\":40000}");
        String history = """
                [{"position":7,"version":7,"type":"VmResumed","recordedAt":"2026-05-04T10:15:33.400Z",\
                "actor":"agent:hv-02","causationId":"o-1","payload":{"host":"hv-02","resumedAt":1777889733400,\
                "downtimeMs":74,"memoryChecksum":"abc","downtimeBreakdown":\
                {"io.ferry.schema.common.DowntimeBreakdown":%s}}},\
                {"position":8,"version":8,"type":"VmResumed","recordedAt":"2026-05-04T10:15:33.500Z",\
                "actor":"agent:hv-02","causationId":"o-2","payload":{"host":"hv-02","resumedAt":1777889733400,\
                "downtimeMs":41,"memoryChecksum":"abc"}}]""".formatted(wrapped);
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.completed(ID))
                .on("GET /api/migrations/" + ID + "/history", 200, history)) {

            // when history runs
            Run run = Run.ferry(api, "history", ID);

            // then the resume's line says where the blackout went; one recorded before the breakdown, only how long
            assertThat(run.out()).contains("5 resume  running on hv-02, memory verified, downtime " + LINE + "\n")
                    .contains("5 resume  running on hv-02, memory verified, downtime 41 ms\n");
        }
    }
}
