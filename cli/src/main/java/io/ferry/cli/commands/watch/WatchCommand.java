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
        description = "Follow a migration (or with --drain HOST a host's drain) live (stage, round, %% of memory copied, throughput, ETA) until it ends. "
                + "Exits 0 when it COMPLETED, 1 otherwise. With --json: one JSON line per update, then the migration.")
public final class WatchCommand extends ClientCommand {
    static final Duration POLL = Duration.ofMillis(500);

    @Parameters(paramLabel = "ID", arity = "0..1", description = "Migration id, or the request id it was submitted with.")
    String id;

    @picocli.CommandLine.Option(names = "--drain", paramLabel = "HOST",
            description = "Follow the host's drain instead: VMs done/total, bytes, ETA, then each VM's move.")
    String drainHost;

    @Override
    protected int run(FerryClient api, PrintWriter out) throws InterruptedException {
        if ((drainHost == null) == (id == null)) {
            err().println("name a migration (ID) or a drained host (--drain HOST), one of the two");
            return REFUSED;
        }
        if (drainHost != null) {
            String drainId = api.get("/api/hosts/" + drainHost + "/drain").path("drainId").asString();
            return new io.ferry.cli.commands.drain.DrainFollower(api, out, json, POLL).follow(drainId);
        }
        return new Follower(api, out, json, Terminal.stdoutIsTerminal(), POLL).follow(Lookup.migrationId(api, id));
    }
}
