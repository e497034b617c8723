package io.ferry.cli.commands.replay;

import static io.ferry.cli.output.Json.text;

import io.ferry.cli.output.Human;
import io.ferry.cli.output.Json;
import io.ferry.cli.output.Table;
import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/** A replay report for people: one line per step, then every divergence, loudly. */
final class ReplayReport {
    private ReplayReport() {}

    /** Prints the report; true when the current code decides what was recorded (no divergence). */
    static boolean print(PrintWriter out, JsonNode report) {
        JsonNode steps = report.path("steps");
        JsonNode divergences = report.path("divergences");
        out.println("replay of migration " + text(report, "migrationId") + ": " + steps.size() + " events");
        Table table = new Table().right("VER").left("TYPE").left("ACTOR").left("STATE AFTER").left("RECORDED AT");
        for (JsonNode step : steps) {
            table.row(text(step, "version"), text(step, "type"), text(step, "actor"), text(step, "stateAfter"),
                    Human.timeMillis(text(step, "recordedAt")));
        }
        table.print(out);
        boolean consistent = divergences.size() == 0 && report.path("consistent").asBoolean(true);
        if (text(report, "finalState") != null) {
            out.println("final state " + text(report, "finalState"));
        }
        if (!report.path("inputsRecorded").asBoolean(true)) {
            out.println("note: this log has no recorded inputs, so only the states were replayed, not the decisions");
        }
        if (consistent) {
            out.println("consistent: the current code decides exactly what was recorded");
        } else {
            out.println();
            out.println("!! " + divergences.size() + " DIVERGENCE" + (divergences.size() == 1 ? "" : "S")
                    + ": the current code decides differently from what was recorded");
            for (JsonNode d : divergences) {
                out.println("!! input #" + text(d, "inputSeq") + " after version " + text(d, "afterVersion") + ": "
                        + inline(d.get("input")));
                out.println("!!   recorded: " + list(d.path("recorded")));
                out.println("!!   decided:  " + list(d.path("decided")));
                if (text(d, "detail") != null) {
                    out.println("!!   " + text(d, "detail"));
                }
            }
        }
        out.flush();
        return consistent;
    }

    private static String inline(JsonNode input) {
        if (input == null || input.isNull() || input.isMissingNode()) {
            return "-";
        }
        return input.isValueNode() ? input.asString() : Json.mapper().writeValueAsString(input);
    }

    private static String list(JsonNode types) {
        if (!types.isArray() || types.size() == 0) {
            return "(nothing)";
        }
        StringBuilder joined = new StringBuilder();
        for (JsonNode type : types) {
            joined.append(joined.isEmpty() ? "" : ", ").append(inline(type));
        }
        return joined.toString();
    }
}
