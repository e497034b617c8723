package io.ferry.cli.commands.replay;

import io.ferry.cli.commands.ClientCommand;
import io.ferry.cli.commands.Lookup;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.connection.Query;
import io.ferry.cli.output.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay a migration's event log through the current code and compare its decisions with the "
                + "recorded ones. Exit 4 when they diverge.",
                "  ferry replay ID [--until N]      replay on the server that recorded it",
                "  ferry replay ID --export FILE    save the migration's log to FILE",
                "  ferry replay --file FILE         replay a saved log here (on --url)",
                "  ferry replay ID --what-if bandwidth=2000,max-downtime=500,auto-converge=true",
                "                                   would it have converged under that policy? when, with what pause?"})
public final class ReplayCommand extends ClientCommand {
    public static final int DIVERGED = 4;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "Migration id, or the request id it was submitted with.")
    String id;

    @Option(names = "--until", paramLabel = "N", description = "Replay up to and including version N.")
    Integer until;

    @Option(names = "--export", paramLabel = "FILE", description = "Save the migration's export to FILE instead.")
    Path export;

    @Option(names = "--file", paramLabel = "FILE", description = "Replay an export saved with --export.")
    Path file;

    @Option(names = "--what-if", paramLabel = "POLICY", description = "Re-run the recorded pre-copy rounds through the "
            + "estimate's model under another policy: " + WhatIfSpec.ACCEPTED + " (the rest as recorded).")
    String whatIf;

    @Override
    protected int run(FerryClient api, PrintWriter out) throws Exception {
        if (whatIf != null) {
            if (id == null || file != null || export != null || until != null) {
                throw new IllegalArgumentException("--what-if takes a migration ID, without --file, --export or --until");
            }
            String body = Json.mapper().writeValueAsString(WhatIfSpec.parse(whatIf)); // a bad spec is refused before asking
            JsonNode answer = api.post("/api/migrations/" + Lookup.migrationId(api, id) + "/what-if", body, Map.of());
            if (json) {
                Json.print(out, answer);
            } else {
                WhatIfReport.print(out, answer);
            }
            return OK;
        }
        if ((id == null) == (file == null)) {
            throw new IllegalArgumentException("give either a migration ID or --file FILE");
        }
        if (export != null && (file != null || until != null)) {
            throw new IllegalArgumentException("--export saves a migration's log; it takes an ID, without --file or --until");
        }
        if (export != null) {
            String migrationId = Lookup.migrationId(api, id);
            Files.writeString(export, api.getText("/api/migrations/" + migrationId + "/export"), StandardCharsets.UTF_8);
            out.println("saved the log of migration " + migrationId + " to " + export
                    + "; replay it anywhere with: ferry replay --file " + export);
            return OK;
        }
        if (file != null && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no file " + file);
        }
        JsonNode report = file != null
                ? api.post("/api/replay" + Query.of().add("until", until), Files.readString(file, StandardCharsets.UTF_8), Map.of())
                : api.get("/api/migrations/" + Lookup.migrationId(api, id) + "/replay" + Query.of().add("until", until));
        boolean consistent;
        if (json) {
            Json.print(out, report);
            consistent = report.path("divergences").size() == 0 && report.path("consistent").asBoolean(true);
        } else {
            consistent = ReplayReport.print(out, report);
        }
        if (!consistent) {
            err().println("ferry: replay of migration " + report.path("migrationId").asString("?") + " diverged from "
                    + "the recorded log (" + report.path("divergences").size() + " divergences)");
        }
        return consistent ? OK : DIVERGED;
    }
}
