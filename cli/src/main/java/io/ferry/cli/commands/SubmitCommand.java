package io.ferry.cli.commands;

import io.ferry.cli.commands.watch.Follower;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.Json;
import io.ferry.cli.output.Terminal;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Request a live migration. Options left out take the orchestrator's defaults.")
public final class SubmitCommand extends ClientCommand {

    enum Compression { NONE, LZ4, ZSTD }

    @Option(names = "--vm", required = true, description = "The VM to move.")
    String vmId;

    @Option(names = "--to", paramLabel = "HOST",
            description = "Destination host. Left out, ferry picks one that passes every pre-check and records why.")
    String destinationHost;

    @Option(names = "--from", paramLabel = "HOST", description = "Source host, checked against where the VM runs.")
    String sourceHost;

    @Option(names = "--request-id", description = "Idempotency key: the same id makes one migration (default: a new one).")
    String requestId;

    @Option(names = "--max-downtime", paramLabel = "ms", description = "Longest acceptable pause (server default 300).")
    Long maxDowntimeMs;

    @Option(names = "--bandwidth", paramLabel = "Mbps", description = "Cap the migration link; 0 = uncapped.")
    Integer bandwidthMbps;

    @Option(names = "--max-rounds", description = "Most pre-copy rounds (server default 10).")
    Integer maxRounds;

    @Option(names = "--auto-converge", negatable = true, description = "Throttle a guest that dirties memory faster than the link carries it.")
    Boolean autoConverge;

    @Option(names = "--compression", description = "Page compression: ${COMPLETION-CANDIDATES}.")
    Compression compression;

    @Option(names = "--progress-timeout", paramLabel = "s", description = "Fail when no progress for this long (default 150).")
    Integer progressTimeoutS;

    @Option(names = "--completion-timeout-per-gib", paramLabel = "s",
            description = "Fail when not resumed within this many seconds per GiB of memory (default 150).")
    Integer completionTimeoutPerGiBS;

    @Option(names = "--watch", description = "Follow it until it ends (as ferry watch; exit 0 only when it COMPLETED).")
    boolean watch;

    @Override
    protected int run(FerryClient api, PrintWriter out) throws InterruptedException {
        JsonNode migration = api.post("/api/migrations", body().toString(), Map.of("X-Ferry-Channel", "CLI"));
        String id = migration.path("migrationId").asString();
        if (json && watch) {
            Json.printLine(out, migration); // JSON lines: the submitted migration, each update, the final migration
        } else if (json) {
            Json.print(out, migration);
        } else {
            // The server's migration, not these flags: a request id sent again names the migration it made first.
            out.println("submitted migration " + id + " (request " + migration.path("requestId").asString("-") + "): "
                    + migration.path("vmId").asString("?") + " " + migration.path("sourceHost").asString("?") + " -> "
                    + migration.path("destinationHost").asString("?") + ", " + migration.path("state").asString("?"));
            JsonNode placement = migration.path("placement");
            if (placement.isObject()) {
                out.println("placed on " + placement.path("chosen").asString() + ": " + placement.path("why").asString());
                for (JsonNode r : placement.path("ruledOut")) {
                    out.println("  ruled out " + r.path("host").asString() + ": " + r.path("reason").asString());
                }
            }
            if (!watch) {
                out.println("follow it with: ferry watch " + id);
            }
        }
        out.flush();
        return watch ? new Follower(api, out, json, Terminal.stdoutIsTerminal(), Duration.ofMillis(500)).follow(id) : OK;
    }

    /** The request body with the API's field names; options not given are left out. */
    ObjectNode body() {
        ObjectNode body = Json.mapper().createObjectNode();
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        body.put("vmId", vmId);
        if (destinationHost != null) { // left out: the orchestrator places the VM
            body.put("destinationHost", destinationHost);
        }
        if (sourceHost != null) {
            body.put("sourceHost", sourceHost);
        }
        if (maxDowntimeMs != null) {
            body.put("maxDowntimeMs", maxDowntimeMs);
        }
        if (bandwidthMbps != null) {
            body.put("bandwidthMbps", bandwidthMbps);
        }
        if (maxRounds != null) {
            body.put("maxRounds", maxRounds);
        }
        if (autoConverge != null) {
            body.put("autoConverge", autoConverge);
        }
        if (compression != null) {
            body.put("compression", compression.name());
        }
        if (progressTimeoutS != null) {
            body.put("progressTimeoutS", progressTimeoutS);
        }
        if (completionTimeoutPerGiBS != null) {
            body.put("completionTimeoutPerGiBS", completionTimeoutPerGiBS);
        }
        return body;
    }
}
