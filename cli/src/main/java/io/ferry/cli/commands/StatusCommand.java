package io.ferry.cli.commands;

import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show one migration: state, reason, times, bytes.")
public final class StatusCommand extends ClientCommand {

    @Parameters(paramLabel = "ID", description = "Migration id, or the request id it was submitted with.")
    String id;

    @Override
    protected int run(FerryClient api, PrintWriter out) {
        JsonNode migration = Lookup.migration(api, id);
        if (json) {
            Json.print(out, migration);
        } else {
            MigrationText.block(out, migration);
        }
        return OK;
    }
}
