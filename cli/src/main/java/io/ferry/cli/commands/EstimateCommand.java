package io.ferry.cli.commands;

import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.connection.Query;
import io.ferry.cli.output.EstimateText;
import io.ferry.cli.output.Human;
import io.ferry.cli.output.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = {"Predict a migration without starting it: rounds, total time, pause, whether it converges and, "
                + "when it would not, what would make it. From the source's latest sample of the guest (taken every 15 s).",
                "  ferry estimate --vm SERVER2 --to hv-02 --bandwidth 1000 --max-downtime 300"})
public final class EstimateCommand extends ClientCommand {
    @Option(names = "--vm", required = true, description = "The VM to estimate.")
    String vm;

    @Option(names = "--to", paramLabel = "HOST", description = "Destination host (checked; the estimate does not depend on it).")
    String to;

    @Option(names = "--bandwidth", paramLabel = "Mbps", description = "Cap the migration link; 0 = uncapped (default).")
    Integer bandwidth;

    @Option(names = "--max-downtime", paramLabel = "ms", description = "Longest acceptable pause (server default 300).")
    Long maxDowntime;

    @Option(names = "--max-rounds", description = "Most pre-copy rounds (server default 10).")
    Integer maxRounds;

    @Option(names = "--auto-converge", negatable = true, description = "Allow throttling a guest that outruns the link.")
    Boolean autoConverge;

    @Override
    protected int run(FerryClient api, PrintWriter out) {
        JsonNode e = api.get("/api/estimate" + Query.of().add("vm", vm).add("to", to).add("bandwidthMbps", bandwidth)
                .add("maxDowntimeMs", maxDowntime).add("maxRounds", maxRounds).add("autoConverge", autoConverge));
        if (json) {
            Json.print(out, e);
            return OK;
        }
        out.printf("%-13s %s%n", "vm", e.path("vmId").asString() + "  " + e.path("sourceHost").asString() + " -> "
                + (e.hasNonNull("destinationHost") ? e.path("destinationHost").asString() : "(any)") + "  ("
                + e.path("driver").asString() + ")");
        out.printf("%-13s %s%n", "verdict", EstimateText.verdict(e));
        out.printf("%-13s %s%n", "why", e.path("why").asString());
        out.printf("%-13s %s, %s%n", "link", Human.mbps(e.path("linkMbps").asDouble()), e.path("linkSource").asString());
        JsonNode s = e.path("sample");
        if (s.isObject()) {
            out.printf("%-13s %s fresh pages/s, saturating at %s pages; %s used (%s zero) of %s%n", "guest",
                    Human.count(Math.round(s.path("dirtyPagesPerSec").asDouble())),
                    Human.count(Math.round(s.path("workingSetPages").asDouble())), Human.count(s.path("usedPages").asLong()),
                    Human.count(s.path("zeroPages").asLong()), Human.count(s.path("memoryPages").asLong()));
            out.printf("%-13s %s%n", "sampled", Human.timeMillis(s.path("sampledAt").asString()));
        } else {
            out.printf("%-13s %s%n", "guest", e.path("note").asString());
        }
        var would = EstimateText.remedies(e);
        if (!would.isEmpty()) {
            out.printf("%-13s %s%n", "would", would.getFirst());
            would.stream().skip(1).forEach(w -> out.printf("%-13s %s%n", "  or", w));
        }
        out.flush();
        return OK;
    }
}
