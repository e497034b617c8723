package io.ferry.cli.commands;

import static io.ferry.cli.output.Json.number;
import static io.ferry.cli.output.Json.text;

import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.Human;
import io.ferry.cli.output.Json;
import io.ferry.cli.output.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

@Command(name = "hosts", mixinStandardHelpOptions = true, description = "List the hosts heard from: memory, CPU features, last heartbeat.")
public final class HostsCommand extends ClientCommand {

    @Override
    protected int run(FerryClient api, PrintWriter out) {
        JsonNode hosts = api.get("/api/hosts");
        if (json) {
            Json.print(out, hosts);
            return OK;
        }
        if (hosts.size() == 0) {
            out.println("no hosts have sent a heartbeat");
            return OK;
        }
        // STATUS is UNREACHABLE once the agent is silent beyond the orchestrator's liveness timeout.
        Table table = new Table().left("HOST").left("STATUS").left("MODE").left("DRIVER").right("MEMORY").right("FREE").left("LAST HEARTBEAT")
                .left("CPU FEATURES");
        for (JsonNode h : hosts) {
            table.row(text(h, "host"), text(h, "status"), text(h, "mode"), text(h, "driver"), Human.megabytes(number(h, "totalMemoryMb")),
                    Human.megabytes(number(h, "freeMemoryMb")), Human.time(text(h, "lastHeartbeatAt")),
                    text(h, "cpuFeatures"));
        }
        table.print(out);
        return OK;
    }
}
