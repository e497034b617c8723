package io.ferry.cli.commands;

import static io.ferry.cli.output.Json.text;

import io.ferry.cli.Narration;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.Human;
import io.ferry.cli.output.Json;
import io.ferry.cli.output.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show a migration's audit history: every event recorded, who caused it and when.")
public final class HistoryCommand extends ClientCommand {

    @Parameters(paramLabel = "ID", description = "Migration id, or the request id it was submitted with.")
    String id;

    @Override
    protected int run(FerryClient api, PrintWriter out) {
        // found once: the same answer (a list item or the migration) names its id and carries its estimate
        JsonNode migration = Lookup.migration(api, id);
        JsonNode history = api.get("/api/migrations/" + migration.path("migrationId").asString() + "/history");
        if (json) {
            Json.print(out, history);
            return OK;
        }
        Table table = new Table().right("VER").left("RECORDED AT").left("ACTOR").left("EVENT").left("WHAT");
        for (JsonNode entry : history) {
            String what = Narration.describe(entry);
            table.row(text(entry, "version"), Human.timeMillis(text(entry, "recordedAt")), text(entry, "actor"),
                    text(entry, "type"), what.equals(text(entry, "type")) ? null : what.strip().replaceAll("\\s{2,}", "  "));
        }
        table.print(out);
        JsonNode estimate = migration.path("estimate");
        if (estimate.isObject()) { // the estimate recorded at request time, beside what happened
            io.ferry.cli.output.EstimateText.besideActual(out, estimate);
            out.flush();
        }
        return OK;
    }
}
