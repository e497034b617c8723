package io.ferry.cli.commands.replay;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ASavedExportReplaysOnAnotherFerryTest {

    @TempDir
    Path dir;

    @Test
    void export_saves_the_document_as_it_came_and_file_uploads_it_unchanged() throws Exception {
        // given a ferry that exports the migration's log, and another that replays uploads
        String export = "{\"format\":\"ferry-export/1\",\"migrationId\":\"" + ID + "\",\"events\":[{\"version\":1}]}\n";
        String report = "{\"migrationId\":\"" + ID + "\",\"consistent\":true,\"steps\":[],\"divergences\":[]}";
        Path file = dir.resolve("m.json");
        try (StubFerry production = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.completed(ID))
                .on("GET /api/migrations/" + ID + "/export", 200, export);
                StubFerry laptop = new StubFerry().on("POST /api/replay", 200, report)) {

            // when the export is saved from one and replayed on the other, up to version 7
            Run saved = Run.ferry(production, "replay", ID, "--export", file.toString());
            Run replayed = Run.ferry(laptop, "replay", "--file", file.toString(), "--until", "7");

            // then the file holds the export byte for byte and the other ferry received it as the body
            assertThat(saved.exitCode()).isZero();
            assertThat(Files.readString(file)).isEqualTo(export);
            StubFerry.Received upload = laptop.received.getFirst();
            assertThat(upload.uri()).isEqualTo("/api/replay?until=7");
            assertThat(upload.body()).isEqualTo(export);
            assertThat(upload.header("Content-Type")).isEqualTo("application/json");
            assertThat(replayed.exitCode()).isZero();
        }
    }

    @Test
    void an_id_and_a_file_together_are_refused() {
        // when both are given
        Run run = Run.ferry("replay", ID, "--file", "x.json", "--url", "http://127.0.0.1:1");

        // then it is a usage error
        assertThat(run.err()).contains("either a migration ID or --file");
        assertThat(run.exitCode()).isEqualTo(2);
    }
}
