package io.ferry.cli.commands.drain;

import io.ferry.cli.output.Human;
import io.ferry.cli.output.Table;
import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/** How a drain, its plan and its progress read in a terminal. */
final class DrainText {
    private DrainText() {}

    static boolean ended(JsonNode drain) {
        return !"DRAINING".equals(drain.path("status").asString());
    }

    /** One line: where the whole drain stands. */
    static String progress(JsonNode d) {
        JsonNode vms = d.path("vms");
        return d.path("host").asString() + " " + d.path("status").asString() + (d.path("cancelling").asBoolean()
                ? " (stopping)" : "") + ": " + vms.path("done").asInt() + "/" + vms.path("total").asInt()
                + " VMs done (" + vms.path("moved").asInt() + " moved, " + vms.path("failed").asInt() + " failed, "
                + vms.path("left").asInt() + " left), " + vms.path("running").asInt() + " running, "
                + vms.path("waiting").asInt() + " waiting, " + Human.bytes(d.path("bytesSent").asLong()) + " sent, "
                + (ended(d) ? "took " + Human.millis(d.path("elapsedMs").asLong())
                        : "ETA " + Human.millis(d.path("etaMs").asLong()));
    }

    static void moves(PrintWriter out, JsonNode d) {
        Table table = new Table().right("#").left("VM").right("MEMORY").left("DESTINATION").left("MOVE")
                .left("MIGRATION").right("PREDICTED").left("REASON");
        for (JsonNode m : d.path("moves")) {
            table.row(m.path("order").asString(), m.path("vmId").asString(), Human.megabytes(m.path("memoryMb").asLong()),
                    m.path("destination").asString("-"), m.path("status").asString(),
                    m.path("migrationState").asString("-"), Human.millis(m.path("predictedMs").asLong()),
                    m.path("reason").asString(""));
        }
        table.print(out);
    }

    static void plan(PrintWriter out, String host, JsonNode plan) {
        int n = plan.path("moves").size();
        out.println("dry run: draining " + host + " would move " + n + (n == 1 ? " VM, " : " VMs, ")
                + plan.path("order").asString() + ", " + plan.path("slots").asInt() + " at a time; predicted "
                + Human.millis(plan.path("predictedMs").asLong()) + " in all (" + plan.path("speedBasis").asString()
                + "). Nothing was changed.");
        Table table = new Table().right("#").left("VM").right("MEMORY").left("DESTINATION").right("PREDICTED")
                .left("WHY THERE");
        for (JsonNode m : plan.path("moves")) {
            table.row(m.path("order").asString(), m.path("vmId").asString(), Human.megabytes(m.path("memoryMb").asLong()),
                    m.path("destination").asString(), Human.millis(m.path("predictedMs").asLong()),
                    m.path("why").asString());
        }
        table.print(out);
        for (JsonNode u : plan.path("unplaceable")) {
            out.println("no host can take " + u.path("vmId").asString() + ": " + u.path("reason").asString());
        }
    }
}
