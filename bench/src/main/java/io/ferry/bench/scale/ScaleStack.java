package io.ferry.bench.scale;

import io.ferry.devstack.AppSettings;
import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import io.ferry.devstack.Directories;
import io.ferry.devstack.KafkaNode;
import io.ferry.schema.DataTokenSeal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The scale scenario's stack: a real KRaft broker in this JVM, a scratch database on the local PostgreSQL (or whatever
 * {@link Databases#forTests()} finds), and the orchestrator and every host agent as JVMs of their own, from the jars.
 */
final class ScaleStack implements AutoCloseable {
    /** A JVM of the stack, its log, and its HTTP port once it wrote it. */
    record App(String name, Process process, Path log, Path portFile) {
        int port() throws IOException {
            return Integer.parseInt(Files.readString(portFile).strip());
        }
    }

    private final Path home;
    private final Path runDir;
    private final String secret = random();
    final String operatorPassword = random();
    private final KafkaNode kafka;
    final DatabaseHandle db;
    private App orchestrator;
    private final Map<String, App> agents = new LinkedHashMap<>();
    private final List<String> agentJvm;
    private final List<Process> probes = new ArrayList<>();
    private Path hopProbeFile;

    ScaleStack(Path home, Path runDir, List<String> agentJvm) {
        this.home = home;
        this.runDir = runDir;
        this.agentJvm = agentJvm;
        Directories.deleteRecursively(runDir);
        // a bench stopped with Ctrl-C or SIGTERM stops its apps and drops its database too (close() runs once)
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "scale-stack-stop"));
        db = Databases.forTests();
        kafka = KafkaNode.startTemporary(0);
    }

    String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    /**
     * Starts the orchestrator with these settings on top of the stack's, and waits for its REST port.
     *
     * @param jar its jar, or null for this checkout's
     */
    App startOrchestrator(Map<String, String> settings, List<String> jvm, Path jar) throws Exception {
        AppSettings s = AppSettings.orchestrator(db, kafka.bootstrapServers(), secret,
                AppSettings.users("ops", operatorPassword, "viewer", random()));
        settings.forEach(s::with);
        orchestrator = start("orchestrator", jar != null ? jar : jar("orchestrator", "ferry-orchestrator"), jvm, s);
        waitFor("the orchestrator's REST port", Duration.ofMinutes(3), () -> Files.exists(orchestrator.portFile()));
        return orchestrator;
    }

    App orchestrator() {
        return orchestrator;
    }

    /** Stops the orchestrator (SIGTERM), e.g. to start it again with other settings on the same database. */
    void stopOrchestrator() throws InterruptedException {
        stop(orchestrator);
        orchestrator = null;
    }

    /** Starts an agent with these guests (NAME:MB,...): idle guests, its digest endpoint on, its receipts logged. */
    App startAgent(String host, String vms) throws IOException {
        AppSettings s = AppSettings.agent(host, kafka.bootstrapServers(), runDir.resolve("shared"),
                        guests().resolve(host), DataTokenSeal.hostKeyText(secret, host))
                .with("ferry.agent.vms", vms)
                .with("ferry.agent.workload", "idle")
                .with("ferry.agent.keep-guests", "false")
                .with("ferry.agent.inspect.enabled", "true")
                .with("logging.level.io.ferry.agent.commands.CommandListener", "DEBUG");
        App app = start("agent-" + host, jar("host-agent", "ferry-host-agent"), agentJvm, s);
        agents.put(host, app);
        return app;
    }

    /**
     * Starts the hop probe's receiver and sender JVMs (see {@link HopProbe}), one probe every {@code intervalMs}; returns
     * the file the receiver writes its probes to.
     */
    Path startHopProbe(int intervalMs) throws IOException {
        hopProbeFile = runDir.resolve("hop-probe.txt");
        Path jar = jar("bench", "ferry-bench");
        probes.add(launch("hop-probe-receiver", jar, agentJvm,
                List.of("hop-probe", "receive", kafka.bootstrapServers(), hopProbeFile.toString()), Map.of()));
        probes.add(launch("hop-probe-sender", jar, List.of("-Xmx128m"), List.of("hop-probe", "send",
                kafka.bootstrapServers(), db.jdbcUrl(), db.username(), Integer.toString(intervalMs)),
                Map.of(HopProbe.PASSWORD_ENV, db.password() == null ? "" : db.password()))); // password off the command line
        return hopProbeFile;
    }

    /** The hop probe's file, or null when it was not started. */
    Path hopProbeFile() {
        return hopProbeFile;
    }

    Path runDir() {
        return runDir;
    }

    Map<String, App> agents() {
        return agents;
    }

    private App start(String name, Path jar, List<String> jvm, AppSettings settings) throws IOException {
        Path portFile = runDir.resolve(name + ".port");
        Files.deleteIfExists(portFile);
        settings.with("ferry.port-file", portFile.toString());
        // secrets stay off the command line
        Process process = launch(name, jar, jvm, settings.withoutSecrets().asArgs(), settings.secrets().asEnv());
        return new App(name, process, logOf(name), portFile);
    }

    private Path logOf(String name) {
        return runDir.resolve("logs").resolve(name + ".log");
    }

    /** java JVM -jar JAR ARGS, with ENV added, its output appended to logs/NAME.log. */
    private Process launch(String name, Path jar, List<String> jvm, List<String> args, Map<String, String> env)
            throws IOException {
        Path log = logOf(name);
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvm);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }

    Path guests() {
        return io.ferry.hypervisor.simulated.GuestMemory.defaultDirectory(0).resolve("ferry-bench-scale");
    }

    void checkAlive() {
        List<App> all = new ArrayList<>(agents.values());
        if (orchestrator != null) {
            all.add(orchestrator);
        }
        for (App app : all) {
            if (!app.process().isAlive()) {
                throw new IllegalStateException(app.name() + " exited with " + app.process().exitValue() + "; see "
                        + app.log());
            }
        }
    }

    void waitFor(String what, Duration timeout, BooleanSupplier ready) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!ready.getAsBoolean()) {
            checkAlive();
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; logs in " + runDir.resolve("logs"));
            }
            Thread.sleep(250);
        }
    }

    private Path jar(String module, String artifact) throws IOException {
        Path target = home.resolve(module).resolve("target");
        try (var files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().startsWith(artifact)
                    && p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + artifact + " jar in " + target
                            + ": build first (mvn -B -DskipTests package)"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("no " + target + ": build first (mvn -B -DskipTests package)");
        }
    }

    private static void stop(App app) throws InterruptedException {
        if (app == null) {
            return;
        }
        app.process().destroy();
        if (!app.process().waitFor(20, TimeUnit.SECONDS)) {
            app.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String random() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (Process p : probes) {
                p.destroyForcibly();
            }
            for (App a : agents.values()) {
                a.process().destroy();
            }
            for (App a : agents.values()) {
                stop(a);
            }
            stop(orchestrator);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.ferry.hypervisor.simulated.GuestStore.wipe(guests());
        if (kafka != null) {
            kafka.close();
        }
        if (db != null) {
            db.close();
        }
    }
}
