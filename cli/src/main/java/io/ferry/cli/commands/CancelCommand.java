package io.ferry.cli.commands;

import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.Json;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a migration before its final copy: the VM stays on the source. Refused (exit 2) after.")
public final class CancelCommand extends ClientCommand {

    @Parameters(paramLabel = "ID", description = "Migration id, or the request id it was submitted with.")
    String id;

    @Override
    protected int run(FerryClient api, PrintWriter out) {
        String migrationId = Lookup.migrationId(api, id);
        JsonNode answer = api.post("/api/migrations/" + migrationId + "/cancel", null, Map.of());
        if (json) {
            Json.print(out, answer);
            return OK;
        }
        String state = answer.path("state").asString("");
        if (state.equals(io.ferry.schema.MigrationStatus.CANCELLED.name())) {
            out.println("migration " + migrationId + " is CANCELLED");
        } else {
            out.println("cancel accepted: migration " + migrationId + " is " + state
                    + "; the hosts roll back (follow with: ferry watch " + migrationId + ")");
        }
        return OK;
    }
}
