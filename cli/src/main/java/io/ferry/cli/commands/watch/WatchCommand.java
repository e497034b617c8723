package io.ferry.cli.commands.watch;

import io.ferry.cli.commands.ClientCommand;
import io.ferry.cli.commands.Lookup;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.Terminal;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow a migration live (stage, round, %% of memory copied, throughput, ETA) until it ends. "
                + "Exits 0 when it COMPLETED, 1 otherwise. With --json: one JSON line per update, then the migration.")
public final class WatchCommand extends ClientCommand {
    static final Duration POLL = Duration.ofMillis(500);

    @Parameters(paramLabel = "ID", description = "Migration id, or the request id it was submitted with.")
    String id;

    @Override
    protected int run(FerryClient api, PrintWriter out) throws InterruptedException {
        return new Follower(api, out, json, Terminal.stdoutIsTerminal(), POLL).follow(Lookup.migrationId(api, id));
    }
}
