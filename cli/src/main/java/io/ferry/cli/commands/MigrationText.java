package io.ferry.cli.commands;

import static io.ferry.cli.output.Json.number;
import static io.ferry.cli.output.Json.text;

import io.ferry.cli.output.Downtime;
import io.ferry.cli.output.Human;
import io.ferry.cli.output.Table;
import io.ferry.schema.MigrationStatus;
import java.io.PrintWriter;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** A migration as people read it: a row of the list, or the block of {@code status}. */
public final class MigrationText {
    public static final Set<String> TERMINAL = Set.copyOf(MigrationStatus.names(MigrationStatus.TERMINAL));

    private MigrationText() {}

    public static Table table() {
        return new Table().left("MIGRATION").left("VM").left("FROM").left("TO").left("STATE").left("REASON")
                .right("TOTAL").right("DOWNTIME").left("CREATED").left("BY");
    }

    public static void row(Table table, JsonNode m) {
        table.row(text(m, "migrationId"), text(m, "vmId"), text(m, "sourceHost"), text(m, "destinationHost"),
                text(m, "state"), text(m, "failureReason"), Human.millis(number(m, "totalMs")),
                Human.millis(number(m, "downtimeMs")), Human.time(text(m, "createdAt")), text(m, "requestedBy"));
    }

    public static void block(PrintWriter out, JsonNode m) {
        line(out, "migration", text(m, "migrationId"));
        line(out, "request", text(m, "requestId"));
        line(out, "vm", text(m, "vmId") + "  " + text(m, "sourceHost") + " -> " + text(m, "destinationHost"));
        line(out, "state", text(m, "state"));
        JsonNode placement = m.path("placement");
        if (placement.isObject()) { // ferry chose the destination: why, and which hosts it ruled out
            line(out, "placed", placement.path("why").asString());
            for (JsonNode r : placement.path("ruledOut")) {
                line(out, "  ruled out", r.path("host").asString() + ": " + r.path("reason").asString());
            }
        }
        if (m.hasNonNull("drainId")) {
            line(out, "drain", text(m, "drainId") + " (a move of a host drain: ferry watch --drain "
                    + text(m, "sourceHost") + ")");
        }
        if (text(m, "failureReason") != null || text(m, "failureDetail") != null) {
            line(out, "reason", text(m, "failureReason"));
            line(out, "detail", text(m, "failureDetail"));
        }
        line(out, "requested by", text(m, "requestedBy") + (text(m, "channel") == null ? "" : " via " + text(m, "channel")));
        line(out, "created", Human.timeMillis(text(m, "createdAt")));
        line(out, "updated", Human.timeMillis(text(m, "updatedAt")) + "  (version " + text(m, "version") + ")");
        line(out, "total time", Human.millis(number(m, "totalMs")));
        String breakdown = Downtime.line(m.get("downtimeBreakdown"));
        line(out, "downtime", breakdown != null ? breakdown : Human.millis(number(m, "downtimeMs")));
        line(out, "rounds", text(m, "rounds"));
        line(out, "pages sent", Human.count(number(m, "pagesSent")));
        line(out, "bytes sent", Human.bytes(number(m, "bytesSent")));
        if (m.path("estimate").isObject()) { // what the model predicted at request time, beside what happened
            io.ferry.cli.output.EstimateText.besideActual(out, m.path("estimate"));
        }
        out.flush();
    }

    public static boolean terminal(JsonNode m) {
        return TERMINAL.contains(m.path("state").asString(""));
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("%-13s %s%n", label, value == null ? "-" : value);
    }
}
