package io.ferry.cli;

import io.ferry.cli.connection.CredentialsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Starts the demo stack and keeps it running for other commands and outside clients until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start Kafka, PostgreSQL, the orchestrator and agents hv-01 (with SERVER2) and hv-02; run until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

    @Mixin
    StackOptions stackOptions = new StackOptions();

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--rest-port", defaultValue = "8080", description = "REST port (default: ${DEFAULT-VALUE}; a free one if taken).")
    int restPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Stack.Options options;
        try {
            options = stackOptions.toOptions("up", kafkaPort, restPort);
        } catch (StackOptions.InvalidOption e) {
            spec.commandLine().getErr().println("ferry up: " + e.getMessage());
            return DemoCommand.USAGE;
        }
        System.out.println("ferry up: starting the stack");
        Stack stack = Stack.start(options, System.out);
        // For the ferry CLI: with no --url/--user it reads this file, so commands work against this stack as they are.
        Path credentials = stack.options.runDir().resolve("credentials.properties");
        new CredentialsFile(stack.restUrl(), stack.operator().user(), stack.operator().password(), stack.viewer().user(),
                stack.viewer().password()).write(credentials);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println("\nferry up: stopping everything");
            stack.close();
            try {
                Files.deleteIfExists(credentials); // its passwords die with this run
            } catch (IOException ignored) {
                // best effort: the next up replaces it
            }
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println();
        System.out.println("ferry is up (stop with Ctrl-C or SIGTERM)");
        System.out.println("  kafka bootstrap  " + stack.kafkaBootstrap());
        System.out.println("  REST API         " + stack.restUrl());
        System.out.println("  operator user    " + stack.operator().user() + " / " + stack.operator().password()
                + "   (submits and cancels)");
        System.out.println("  viewer user      " + stack.viewer().user() + " / " + stack.viewer().password()
                + "   (reads only)");
        System.out.println("  credentials      " + stack.options.home().relativize(credentials) + " (mode 600; the ferry "
                + "commands read it)");
        System.out.println("                   development credentials, random for this run only: not for production");
        System.out.println("  database         " + stack.databaseUrl());
        System.out.println("  launcher pid     " + ProcessHandle.current().pid() + " (Kafka and PostgreSQL run under it)");
        for (Child child : stack.children()) {
            System.out.printf("  %-16s pid %d%n", child.name, child.pid());
        }
        System.out.println("  pid files        " + stack.options.runDir());
        System.out.println();
        System.out.println("try: ./ferry vms");
        System.out.println("     ./ferry submit --vm SERVER2 --to " + Stack.DESTINATION + " --watch");
        System.out.println("     curl -s -u " + stack.viewer().user() + ":" + stack.viewer().password() + " "
                + stack.restUrl() + "/api/migrations");
        System.out.println("     kcat -b " + stack.kafkaBootstrap() + " -L");
        java.util.Set<String> reported = new java.util.HashSet<>();
        while (stopped.getCount() > 0) {
            Thread.sleep(1_000);
            for (Child child : stack.children()) {
                // Keep running when an app dies: the operator may be testing a crash. Say so once.
                if (!child.process.isAlive() && reported.add(child.name)) {
                    System.out.println("ferry up: " + child.name + " (pid " + child.pid() + ") exited with code "
                            + child.process.exitValue() + "; see " + child.log);
                }
            }
        }
        return 0;
    }
}
