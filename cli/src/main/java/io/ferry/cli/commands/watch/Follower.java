package io.ferry.cli.commands.watch;

import io.ferry.cli.commands.MigrationText;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.connection.ServerSentEvents;
import io.ferry.cli.output.Json;
import java.io.PrintWriter;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Follows a migration to its end: the server's progress stream (SSE) when it has one, else polling the migration every
 * {@code pollEvery}. Prints a progress line per update (redrawn in place on a terminal), or with {@code json} each
 * update's JSON as one line; then the final migration. Exit 0 when it COMPLETED, 1 otherwise.
 */
public final class Follower {
    static final int WIDTH = 79;
    private final FerryClient api;
    private final PrintWriter out;
    private final boolean json;
    private final boolean terminal;
    private final Duration pollEvery;
    private String lastLine = "";

    public Follower(FerryClient api, PrintWriter out, boolean json, boolean terminal, Duration pollEvery) {
        this.api = api;
        this.out = out;
        this.json = json;
        this.terminal = terminal;
        this.pollEvery = pollEvery;
    }

    public int follow(String migrationId) throws InterruptedException {
        boolean streamed = api.events("/api/migrations/" + migrationId + "/progress", this::onEvent);
        JsonNode migration = api.get("/api/migrations/" + migrationId);
        if (!streamed || !MigrationText.terminal(migration)) {
            migration = poll(migrationId, migration); // no stream, or it broke off before the end
        }
        return finish(migration);
    }

    private void onEvent(ServerSentEvents.Event event) {
        if (!event.name().equals("progress") && !event.name().equals("message")) {
            return;
        }
        if (json) {
            out.println(event.data());
            out.flush();
        } else {
            show(ProgressLine.render(Json.mapper().readTree(event.data())));
        }
    }

    private JsonNode poll(String migrationId, JsonNode migration) throws InterruptedException {
        long shownVersion = -1;
        while (true) {
            long version = migration.path("version").asLong(0);
            if (version != shownVersion) {
                shownVersion = version;
                if (json) {
                    if (!MigrationText.terminal(migration)) { // finish prints the final one
                        Json.printLine(out, migration);
                    }
                } else {
                    show(ProgressLine.render(asProgress(migration)));
                }
            }
            if (MigrationText.terminal(migration)) {
                return migration;
            }
            Thread.sleep(pollEvery.toMillis());
            migration = api.get("/api/migrations/" + migrationId);
        }
    }

    /** A migration read as a progress update: its state, rounds so far and bytes sent. */
    static JsonNode asProgress(JsonNode migration) {
        ObjectNode p = Json.mapper().createObjectNode();
        p.set("state", migration.path("state"));
        p.set("round", migration.path("rounds"));
        p.set("bytesSent", migration.path("bytesSent"));
        p.set("totalMs", migration.path("totalMs"));
        p.set("downtimeMs", migration.path("downtimeMs"));
        p.set("failureReason", migration.path("failureReason"));
        return p;
    }

    private void show(String line) {
        if (terminal) {
            // A line that wrapped could not be redrawn with \r: keep it within 79 columns.
            line = line.length() > WIDTH ? line.substring(0, WIDTH) : line;
            // Redraw in place; blanks clear what a longer previous line left.
            out.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
        } else if (!line.equals(lastLine)) {
            out.println(line);
        }
        lastLine = line;
        out.flush();
    }

    private int finish(JsonNode migration) {
        if (json) {
            Json.printLine(out, migration);
        } else {
            if (terminal && !lastLine.isEmpty()) {
                out.println();
            }
            out.println();
            MigrationText.block(out, migration);
        }
        out.flush();
        return migration.path("state").asString("").equals(io.ferry.schema.MigrationStatus.COMPLETED.name()) ? 0 : 1;
    }
}
