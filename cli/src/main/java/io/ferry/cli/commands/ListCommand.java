package io.ferry.cli.commands;

import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.connection.Query;
import io.ferry.cli.output.Json;
import io.ferry.cli.output.Table;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List migrations, newest first.")
public final class ListCommand extends ClientCommand {

    @Option(names = "--vm", description = "Only this VM.")
    String vmId;

    @Option(names = "--host", description = "Only migrations leaving or reaching this host.")
    String host;

    @Option(names = "--state", description = "Only migrations in this state (e.g. PRECOPY, QUEUED).")
    String state;

    @Option(names = "--outcome", description = "Only finished ones that ended so: COMPLETED, CANCELLED, ROLLED_BACK or FAILED.")
    String outcome;

    @Option(names = "--from", paramLabel = "WHEN", description = "Created at or after: an ISO-8601 instant or an age such "
            + "as 30m, 2h, 7d.")
    String from;

    @Option(names = "--to", paramLabel = "WHEN", description = "Created before: an ISO-8601 instant or an age.")
    String to;

    @Option(names = "--page", defaultValue = "0", description = "Page, from 0 (default: ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--size", defaultValue = "50", description = "Migrations per page (default: ${DEFAULT-VALUE}).")
    int size;

    @Override
    protected int run(FerryClient api, PrintWriter out) {
        Clock clock = Clock.systemUTC();
        JsonNode answer = api.get("/api/migrations" + Query.of().add("vmId", vmId).add("host", host).add("state", state)
                .add("outcome", outcome).add("from", When.instant(from, clock)).add("to", When.instant(to, clock))
                .add("page", page).add("size", size));
        if (json) {
            Json.print(out, answer);
            return OK;
        }
        JsonNode items = Lookup.items(answer);
        if (items.size() == 0) {
            out.println("no migrations" + (answer.path("total").asLong(0) > 0 ? " on page " + page : ""));
            return OK;
        }
        Table table = MigrationText.table();
        items.forEach(m -> MigrationText.row(table, m));
        table.print(out);
        long total = answer.path("total").asLong(items.size());
        int first = answer.path("page").asInt(page) * answer.path("size").asInt(size);
        if (total > items.size()) {
            out.printf("%d-%d of %d%s%n", first + 1, first + items.size(), total,
                    first + items.size() < total ? "; next: --page " + (answer.path("page").asInt(page) + 1) : "");
        }
        return OK;
    }
}
