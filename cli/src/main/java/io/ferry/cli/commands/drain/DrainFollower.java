package io.ferry.cli.commands.drain;

import io.ferry.cli.commands.ClientCommand;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.Json;
import java.io.PrintWriter;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * Follows a drain to its end by polling it: a progress line whenever it changes (with {@code json}, the drain as one
 * JSON line), then its moves and summary. Exit 0 when it COMPLETED, 1 otherwise.
 */
public final class DrainFollower {
    private final FerryClient api;
    private final PrintWriter out;
    private final boolean json;
    private final Duration pollEvery;

    public DrainFollower(FerryClient api, PrintWriter out, boolean json, Duration pollEvery) {
        this.api = api;
        this.out = out;
        this.json = json;
        this.pollEvery = pollEvery;
    }

    public int follow(String drainId) throws InterruptedException {
        String shown = "";
        while (true) {
            JsonNode drain = api.get("/api/drains/" + drainId);
            String line = json ? drain.toString() : DrainText.progress(drain);
            String change = json ? drain.path("moves").toString() + drain.path("status") : line.replaceAll("ETA .*", "");
            if (!change.equals(shown)) {
                shown = change;
                if (json) {
                    Json.printLine(out, drain);
                } else {
                    out.println(line);
                }
                out.flush();
            }
            if (DrainText.ended(drain)) {
                if (!json) {
                    DrainText.moves(out, drain);
                    out.println(drain.path("summary").asString());
                }
                out.flush();
                return "COMPLETED".equals(drain.path("status").asString()) ? ClientCommand.OK : ClientCommand.FAILED;
            }
            Thread.sleep(pollEvery.toMillis());
        }
    }
}
