package io.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The ferry command line. */
@Command(name = "ferry", mixinStandardHelpOptions = true, version = "ferry 0.1.0",
        description = "Live VM migration orchestrator.",
        subcommands = {DemoCommand.class, UpCommand.class})
public final class Ferry implements Runnable {

    public static void main(String[] args) {
        // Third-party libraries (Kafka, zonky) log through slf4j-simple: warnings only, so ferry's own output reads.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("ferry.log", "warn"));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error"); // the broker's start-up chatter
        int code = new CommandLine(new Ferry()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("ferry: " + e.getMessage());
            return 1;
        }).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
