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

@Command(name = "vms", mixinStandardHelpOptions = true, description = "List the VMs the hosts report.")
public final class VmsCommand extends ClientCommand {

    @Override
    protected int run(FerryClient api, PrintWriter out) {
        JsonNode vms = api.get("/api/vms");
        if (json) {
            Json.print(out, vms);
            return OK;
        }
        if (vms.size() == 0) {
            out.println("no VMs reported");
            return OK;
        }
        Table table = new Table().left("VM").left("HOST").left("STATE").right("MEMORY").right("VCPUS").left("MAC")
                .right("EPOCH").left("DISK");
        for (JsonNode vm : vms) {
            table.row(text(vm, "vmId"), text(vm, "host"), text(vm, "state"), Human.megabytes(number(vm, "memoryMb")),
                    text(vm, "vcpus"), text(vm, "macAddress"), text(vm, "storageEpoch"), text(vm, "diskPath"));
        }
        table.print(out);
        return OK;
    }
}
