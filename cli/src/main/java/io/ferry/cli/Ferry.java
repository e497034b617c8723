package io.ferry.cli;

import io.ferry.cli.commands.CancelCommand;
import io.ferry.cli.commands.HistoryCommand;
import io.ferry.cli.commands.HostsCommand;
import io.ferry.cli.commands.ListCommand;
import io.ferry.cli.commands.StatusCommand;
import io.ferry.cli.commands.SubmitCommand;
import io.ferry.cli.commands.VmsCommand;
import io.ferry.cli.commands.replay.ReplayCommand;
import io.ferry.cli.commands.watch.WatchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The ferry command line. */
@Command(name = "ferry", mixinStandardHelpOptions = true, version = "ferry 0.1.0",
        description = "Live VM migration orchestrator.",
        subcommands = {DemoCommand.class, UpCommand.class, SubmitCommand.class, WatchCommand.class, ListCommand.class,
                StatusCommand.class, HistoryCommand.class, io.ferry.cli.commands.EstimateCommand.class, CancelCommand.class, ReplayCommand.class, HostsCommand.class,
                VmsCommand.class, io.ferry.cli.commands.drain.DrainCommand.class,
                io.ferry.cli.commands.drain.UndrainCommand.class})
public final class Ferry implements Runnable {

    public static void main(String[] args) {
        // Third-party libraries (Kafka, zonky) log through slf4j-simple: warnings only, so ferry's own output reads.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("ferry.log", "warn"));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error"); // the broker's start-up chatter
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: what main runs, and the tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Ferry()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("ferry: " + e.getMessage());
            return 1;
        });
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
