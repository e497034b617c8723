package io.ferry.cli;

import io.ferry.cli.connection.Connection;
import io.ferry.cli.connection.FerryClient;
import io.ferry.devstack.AppSettings;
import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import io.ferry.devstack.Directories;
import io.ferry.devstack.KafkaNode;
import io.ferry.devstack.Ports;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The embedded stack of {@code ferry demo} and {@code ferry up}: a KRaft Kafka broker and (unless a database URL is
 * given) an embedded PostgreSQL in this process, and the orchestrator and two host agents as their own JVMs.
 */
final class Stack implements AutoCloseable {
    static final String SOURCE = "hv-01";
    static final String DESTINATION = "hv-02";

    record Options(Path home, Path runDir, int kafkaPort, int restPort, int memoryMb, String dbUrl, String dbUser,
            String dbPassword, String workload, String driver) {
        boolean qemu() {
            return "qemu".equals(driver);
        }
    }

    final Options options;
    private final PrintStream out;
    private final List<Child> children = new ArrayList<>();
    private KafkaNode kafka;
    private io.ferry.hypervisor.qemu.GuestImage guestImage;
    private DatabaseHandle db;
    private String restUrl;
    // Development users of this stack only, with fresh random passwords each start.
    private final User operator = new User("ops", randomPassword());
    private final User viewer = new User("viewer", randomPassword());

    /** A user of this stack's REST API. */
    record User(String user, String password) {
        @Override
        public String toString() {
            return "User[" + user + "]"; // never the password
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private final String dataTokenSecret = randomPassword();

    User operator() {
        return operator;
    }

    User viewer() {
        return viewer;
    }

    private Stack(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    static Stack start(Options options, PrintStream out) throws Exception {
        Stack stack = new Stack(options, out);
        // On Ctrl-C or SIGTERM the apps stop first, then Kafka and PostgreSQL (close() runs once).
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "ferry-stack-stop"));
        try {
            stack.boot();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void boot() throws Exception {
        Path run = options.runDir();
        launcher = EarlierLauncher.await(run, EarlierLauncher.STOPPING_WAIT, out);
        launcher.running();
        Child.reapStale(run);
        Files.createDirectories(run);
        Path orchestratorJar = jar("orchestrator", "ferry-orchestrator");
        Path agentJar = jar("host-agent", "ferry-host-agent");
        Directories.deleteRecursively(run.resolve("shared")); // each run starts with fresh leases and switch table
        io.ferry.hypervisor.simulated.GuestStore.wipe(guests()); // and fresh hosts: the inventory boots again
        stopQemus(); // QEMU guests a killed run left behind, too

        if (options.dbUrl() != null) {
            db = new DatabaseHandle(options.dbUrl(), options.dbUser(), options.dbPassword(), "configured database", () -> {});
        } else {
            // The data dir is reused so an orphan of a killed run is found and stopped; its contents are not:
            // a migration left half-done by that run would otherwise block SERVER2 forever.
            db = Databases.embedded(run.resolve("postgres"), 0);
            try (var connection = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                    var statement = connection.createStatement()) {
                statement.execute("drop schema public cascade; create schema public");
            }
        }
        step("PostgreSQL      " + db.jdbcUrl() + " (" + db.description() + ")");

        if (options.qemu()) {
            if (!io.ferry.hypervisor.qemu.QemuHypervisor.installed("qemu-system-x86_64")) {
                throw new IllegalStateException("--driver qemu needs QEMU: apt-get install qemu-system-x86 qemu-utils "
                        + "busybox-static");
            }
            Path guestDir = io.ferry.hypervisor.qemu.GuestImage.defaultDir();
            guestImage = io.ferry.hypervisor.qemu.GuestImage.ensure(guestDir); // from Debian packages, once
            step("QEMU guest      " + guestDir + " (serial consoles in " + options.home().relativize(run) + "/qemu-*)");
        }

        Directories.deleteRecursively(run.resolve("kafka"));
        kafka = KafkaNode.start(run.resolve("kafka"), options.kafkaPort());
        step("Kafka (KRaft)   " + kafka.bootstrapServers());

        // Without a free port asked for, the orchestrator binds port 0 and writes the port it got: a port picked free
        // here could be taken by another process before it binds it.
        int askedPort = options.restPort() != 0 && free(options.restPort()) ? options.restPort() : 0;
        Path portFile = run.resolve("orchestrator.port");
        Files.deleteIfExists(portFile);
        List<String> appJvm = List.of("-Xmx512m", "-XX:+UseZGC");
        AppSettings orchestrator = AppSettings.orchestrator(db, kafka.bootstrapServers(), dataTokenSecret,
                        AppSettings.users(operator.user(), operator.password(), viewer.user(), viewer.password()))
                .with("server.port", Integer.toString(askedPort))
                .with("ferry.port-file", portFile.toString());
        children.add(start("orchestrator", orchestratorJar, appJvm, orchestrator));
        // Guest memory is mapped off-heap, so a small heap does; ZGC keeps pauses out of the blackout. 256 MiB: an agent's
        // live heap reaches 80-90 MiB during migrations; at 96 MiB ZGC stalled allocations for up to 240 ms, in pre-copy
        // too (JFR, jdk.ZAllocationStall), and 128 MiB saved too little RSS to matter (README, issue 11 point 7).
        // FERRY_DEMO_AGENT_HEAP (e.g. 128m) overrides it.
        List<String> agentJvm = List.of("-Xmx" + agentHeap(), "-XX:+UseZGC");
        children.add(agent(SOURCE, agentJar, agentJvm, "SERVER2:" + options.memoryMb()));
        children.add(agent(DESTINATION, agentJar, agentJvm, ""));
        for (Child child : children) {
            step(String.format("%-15s pid %d, log %s", child.name, child.pid(), options.home().relativize(child.log)));
        }
        // The port file appears once its web server runs, near the end of its start (slow on a busy machine).
        waitFor("the orchestrator to start and bind its REST port (" + portFile + ")", Duration.ofSeconds(180),
                () -> Files.exists(portFile));
        restUrl = "http://127.0.0.1:" + Files.readString(portFile).strip();
        FerryClient api = client();
        waitFor("the orchestrator at " + restUrl, Duration.ofSeconds(90), api::healthy);
        waitFor("both agents to report their inventory", Duration.ofSeconds(60), () -> listed(api, "/api/vms",
                vm -> vm.path("host").asString("").equals(SOURCE) && vm.path("vmId").asString("").equals("SERVER2"))
                && listed(api, "/api/hosts", h -> h.path("host").asString("").equals(DESTINATION)));
        step("REST API        " + restUrl + "/api/migrations");
    }

    /** The REST API as this stack's operator, with short timeouts: callers poll it and check the processes between. */
    FerryClient client() {
        return new FerryClient(new Connection(restUrl, operator.user(), operator.password(), "this stack"),
                Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    private static boolean listed(FerryClient api, String path, java.util.function.Predicate<JsonNode> wanted) {
        try {
            for (JsonNode item : api.get(path)) {
                if (wanted.test(item)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false; // not up yet: asked again
        }
    }

    /** The agents' -Xmx: FERRY_DEMO_AGENT_HEAP as the JVM reads a size (128m, 1g), else 256m. */
    private static String agentHeap() {
        String heap = System.getenv().getOrDefault("FERRY_DEMO_AGENT_HEAP", "256m").strip();
        if (!heap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalStateException("FERRY_DEMO_AGENT_HEAP='" + heap + "' is not a heap size; give one as -Xmx "
                    + "takes it, e.g. 128m or 1g (default 256m)");
        }
        return heap;
    }

    private Child agent(String host, Path jar, List<String> jvm, String vms) throws IOException {
        // port 0: nothing here calls an agent's HTTP port; kept guests: an agent killed and started again re-adopts
        // them (see README, agent restarts)
        AppSettings agent = AppSettings.agent(host, kafka.bootstrapServers(), options.runDir().resolve("shared"),
                        guests().resolve(host), io.ferry.schema.DataTokenSeal.hostKeyText(dataTokenSecret, host))
                .with("ferry.agent.vms", vms)
                .with("ferry.agent.workload", options.workload())
                // a fresh guest is sampled within seconds, so the demo's estimate rests on the guest as it runs
                .with("ferry.agent.sample-interval", "3s");
        if (options.qemu()) {
            agent.with("ferry.agent.driver", "qemu")
                    .with("ferry.agent.qemu.kernel", guestImage.kernel().toString())
                    .with("ferry.agent.qemu.initrd", guestImage.initrd().toString())
                    .with("ferry.agent.qemu.run-dir", options.runDir().resolve("qemu-" + host).toString());
        }
        return start("agent-" + host, jar, jvm, agent);
    }

    /**
     * Secrets (the database password, the users, the data-token secret, a host key) go through the environment: any
     * local user can read a command line.
     */
    private Child start(String name, Path jar, List<String> jvm, AppSettings settings) throws IOException {
        return Child.start(name, jar, jvm, settings.withoutSecrets().asArgs(), settings.secrets().asEnv(), options.runDir());
    }

    /** QEMU guests outlive their agents (an agent restarted re-adopts them); the stack's own end stops them. */
    private void stopQemus() {
        for (String host : List.of(SOURCE, DESTINATION)) {
            io.ferry.hypervisor.qemu.QemuHypervisor.stopLeftovers(options.runDir().resolve("qemu-" + host));
        }
    }

    /**
     * The agents' run directories, in /dev/shm when usable since they hold guest memory; named after this run
     * directory, so two checkouts running ferry at once do not share hosts.
     */
    private Path guests() {
        return io.ferry.hypervisor.simulated.GuestMemory.defaultDirectory(0)
                .resolve("ferry-up-" + Integer.toHexString(options.runDir().toAbsolutePath().toString().hashCode()));
    }

    String restUrl() {
        return restUrl;
    }

    String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    String databaseUrl() {
        return db.jdbcUrl();
    }

    List<Child> children() {
        return children;
    }

    /** Fails fast with the child's log when one of the apps died. */
    void checkAlive() {
        for (Child child : children) {
            if (!child.process.isAlive()) {
                throw new IllegalStateException(child.name + " exited with code " + child.process.exitValue() + "; see "
                        + child.log);
            }
        }
    }

    private void waitFor(String what, Duration timeout, java.util.function.BooleanSupplier ready) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!ready.getAsBoolean()) {
            checkAlive();
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; logs are in " + options.runDir().resolve("logs"));
            }
            Thread.sleep(200);
        }
    }

    private Path jar(String module, String artifact) throws IOException {
        Path target = options.home().resolve(module).resolve("target");
        if (Files.isDirectory(target)) {
            try (var files = Files.list(target)) {
                var found = files.filter(p -> p.getFileName().toString().startsWith(artifact)
                        && p.getFileName().toString().endsWith("-exec.jar")).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new IllegalStateException("no runnable jar in " + target + ": build first with "
                + "'mvn -B -DskipTests package' (./ferry does this when the jars are missing)");
    }

    private static boolean free(int port) {
        return !Ports.answers("127.0.0.1", port, Duration.ofMillis(200));
    }

    private void step(String line) {
        out.println("  " + line);
    }

    private boolean closed;
    private EarlierLauncher launcher;

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (launcher != null) {
            launcher.stopping();
        }
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).stop();
            try {
                Files.deleteIfExists(options.runDir().resolve(children.get(i).name + ".pid"));
            } catch (IOException ignored) {
                // best effort: a stale pid file is reaped on the next start
            }
        }
        // The guests ended with the stack; their memory would otherwise stay in /dev/shm until the next start.
        io.ferry.hypervisor.simulated.GuestStore.wipe(guests());
        stopQemus();
        if (kafka != null) {
            kafka.close();
        }
        if (db != null) {
            db.close();
        }
        if (launcher != null) {
            launcher.gone();
        }
    }
}
