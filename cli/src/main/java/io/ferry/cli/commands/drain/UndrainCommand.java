package io.ferry.cli.commands.drain;

import io.ferry.cli.commands.ClientCommand;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.Json;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "undrain", mixinStandardHelpOptions = true,
        description = "Return a drained host to ACTIVE: it takes VMs again. A drain still running is stopped first "
                + "(queued moves are dropped, running ones finish).")
public final class UndrainCommand extends ClientCommand {

    @Parameters(paramLabel = "HOST", description = "The host to return.")
    String host;

    @Override
    protected int run(FerryClient api, PrintWriter out) {
        JsonNode drain = api.post("/api/hosts/" + host + "/undrain", null, Map.of());
        if (json) {
            Json.print(out, drain);
        } else {
            out.println(host + " is " + drain.path("hostMode").asString() + " (drain " + drain.path("drainId").asString()
                    + " " + drain.path("status").asString() + ")");
        }
        return OK;
    }
}
