package io.ferry.cli.commands.drain;

import io.ferry.cli.commands.ClientCommand;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Drain a host: it takes no new VMs, every VM on it migrates off (largest first, each to the "
                + "host with most room), and it ends in MAINTENANCE. --dry-run shows the plan and changes nothing.")
public final class DrainCommand extends ClientCommand {
    static final Duration POLL = Duration.ofMillis(500);

    enum Order { LARGEST_FIRST, AS_LISTED }

    @Parameters(paramLabel = "HOST", description = "The host to drain.")
    String host;

    @Option(names = "--dry-run", description = "Print the plan (each VM, its destination, the order, predicted times) "
            + "without acting.")
    boolean dryRun;

    @Option(names = "--order", description = "The order VMs leave in: ${COMPLETION-CANDIDATES} (default LARGEST_FIRST).")
    Order order = Order.LARGEST_FIRST;

    @Option(names = "--bandwidth", paramLabel = "MBPS", description = "Cap each move's link at MBPS Mbit/s (default: "
            + "uncapped), so a drain leaves room for the guests' own traffic; the plan's times follow the cap.")
    Integer bandwidthMbps;

    @Option(names = "--cancel", description = "Stop the host's drain: queued moves are dropped, running ones finish "
            + "(the host returns to ACTIVE).")
    boolean cancel;

    @Option(names = "--cancel-running", description = "With --cancel: also cancel moves still before their final copy.")
    boolean cancelRunning;

    @Option(names = "--watch", description = "Follow the drain until it ends (exit 0 only when it COMPLETED).")
    boolean watch;

    @Override
    protected int run(FerryClient api, PrintWriter out) throws InterruptedException {
        if (cancelRunning && !cancel) {
            err().println("--cancel-running goes with --cancel");
            return REFUSED;
        }
        if (bandwidthMbps != null && bandwidthMbps <= 0) {
            err().println("--bandwidth must be a positive number of Mbit/s, got " + bandwidthMbps);
            return REFUSED;
        }
        if (bandwidthMbps != null && cancel) {
            err().println("--bandwidth goes with starting a drain (or --dry-run), not with --cancel");
            return REFUSED;
        }
        String cap = bandwidthMbps == null ? "" : "&bandwidthMbps=" + bandwidthMbps;
        if (dryRun) {
            JsonNode plan = api.get("/api/hosts/" + host + "/drain-plan?order=" + order + cap);
            if (json) {
                Json.print(out, plan);
            } else {
                DrainText.plan(out, host, plan);
            }
            return OK;
        }
        JsonNode drain;
        if (cancel) {
            drain = api.post("/api/hosts/" + host + "/drain/cancel?cancelRunning=" + cancelRunning, null, Map.of());
        } else {
            drain = api.post("/api/hosts/" + host + "/drain?order=" + order + cap, null, Map.of());
        }
        String id = drain.path("drainId").asString();
        if (watch) {
            return new DrainFollower(api, out, json, POLL).follow(id);
        }
        if (json) {
            Json.print(out, drain);
        } else {
            out.println((cancel ? "stopping drain " : "drain ") + id + " of " + host + ": " + DrainText.progress(drain));
            out.println("follow it with: ferry watch --drain " + host);
        }
        return OK;
    }
}
