package io.ferry.systemtests;

import io.ferry.devstack.Directories;
import io.ferry.devstack.Ports;
import io.ferry.systemtests.SoakReport.Fault;
import io.ferry.testkit.OrchestratorApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos soak: migrations of idle simulated guests between two hosts, each host in its own network namespace,
 * while faults are injected at random (seeded) moments: SIGKILL of the orchestrator, of the source's agent and of
 * the destination's agent (each started again after a moment, the agents without the guests they booted first),
 * a broker restart, a database pause (SIGSTOP of the soak's own PostgreSQL) and a cut network between the hosts
 * (bridge port isolation: both still reach the broker). After each migration, with every fault healed,
 * {@link SoakChecks} checks its invariants; every violation is recorded, none stops the soak.
 */
final class ChaosSoak implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChaosSoak.class);
    static final List<String> HOSTS = List.of("hv-01", "hv-02");
    static final String ORCHESTRATOR = "orchestrator";
    static final Set<String> TERMINAL = Set.of("COMPLETED", "CANCELLED", "ROLLED_BACK", "FAILED");
    /** An app's start takes 10 s on an idle 2-core machine and over 100 s on a loaded one. */
    private static final Duration RECOVERY = Duration.ofSeconds(Long.getLong("soak.recoveryS", 360));

    /**
     * @param faults how many faults to inject in all (spread over the migrations; a migration that ends first takes
     *     fewer, later ones more)
     * @param vmMb each guest's memory; with {@code bandwidthMbps} it sets how long a migration runs
     * @param cancelChance the share of migrations the soak also asks to cancel, at a random moment
     */
    record Settings(int migrations, int faults, long seed, int vms, int vmMb, int bandwidthMbps, int progressTimeoutS,
            int completionTimeoutPerGiBS, double cancelChance) {
        /** How long a migration may take to end: its completion timeout, the 60 s a silent destination gets in a rollback, and 60 s for faults. */
        Duration terminalDeadline() {
            return Duration.ofSeconds(completionTimeoutPerGiBS * Math.max(1, (long) Math.ceil(vmMb / 1024.0)) + 60 + 60);
        }

        static Settings fromSystemProperties(int migrations, int faults) {
            return new Settings(Integer.getInteger("soak.migrations", migrations), Integer.getInteger("soak.faults", faults),
                    Long.getLong("soak.seed", System.nanoTime() & 0xffff_ffffL), Integer.getInteger("soak.vms", 2),
                    Integer.getInteger("soak.vmMb", 160), Integer.getInteger("soak.bandwidthMbps", 60),
                    Integer.getInteger("soak.progressTimeoutS", 60), Integer.getInteger("soak.completionTimeoutPerGiBS", 90),
                    Double.parseDouble(System.getProperty("soak.cancelChance", "0.15")));
        }
    }

    final Settings settings;
    final SoakReport report;
    final HostNamespaces network;
    final PausableDatabase database;
    final SystemStack stack;
    final OrchestratorApi api;
    final Map<String, AgentInspection> agents = new LinkedHashMap<>();
    /** The highest lease epoch seen per disk: an epoch must never go back. */
    final Map<String, Long> epochs = new ConcurrentHashMap<>();
    private int provisioned;

    private ChaosSoak(Settings settings, Class<?> testClass) {
        this.settings = settings;
        this.report = new SoakReport(settings.seed());
        Path root = Path.of(System.getProperty("ferry.system.runDir", "target/system-tests")).toAbsolutePath().normalize();
        Path pgDir = root.resolve(testClass.getSimpleName() + "-postgres");
        HostNamespaces namespaces = HostNamespaces.create(HOSTS);
        PausableDatabase db = null;
        SystemStack started = null;
        try {
            db = PausableDatabase.in(pgDir, root.resolve(testClass.getSimpleName() + "-postgres.pid"));
            Directories.deleteRecursively(pgDir);
            PausableDatabase pausable = db;
            started = SystemStack.start(testClass, HostNamespaces.BRIDGE_ADDRESS, pausable::start);
            OrchestratorApi orchestrator = started.startOrchestrator(ORCHESTRATOR);
            for (int h = 0; h < HOSTS.size(); h++) {
                String host = HOSTS.get(h);
                List<String> vms = new ArrayList<>();
                for (int v = h; v < settings.vms(); v += HOSTS.size()) {
                    vms.add(newVm());
                }
                startAgent(started, namespaces, host, vms);
            }
            this.network = namespaces;
            this.database = db;
            this.stack = started;
            this.api = orchestrator;
            if (!answering()) {
                throw new AssertionError("the stack did not answer within " + RECOVERY.toSeconds() + " s of its start; logs in "
                        + started.runDir().resolve("logs"));
            }
        } catch (RuntimeException | Error e) {
            if (started != null) {
                started.close();
            }
            namespaces.close();
            throw e;
        }
    }

    static ChaosSoak start(Settings settings, Class<?> testClass) {
        return new ChaosSoak(settings, testClass);
    }

    private String newVm() {
        provisioned++;
        return String.format("SOAK-%02d:%d:2:idle", provisioned, settings.vmMb());
    }

    private void startAgent(SystemStack s, HostNamespaces namespaces, String host, List<String> vms) {
        String address = namespaces.address(host);
        int port = Ports.freePort();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--server.address=" + address,
                "--ferry.agent.bind-host=" + address,
                "--ferry.agent.advertised-host=" + address,
                "--ferry.agent.workload=idle",
                "--ferry.agent.heartbeat-interval=500ms",
                "--ferry.agent.inspect.enabled=true"));
        if (!vms.isEmpty()) {
            args.add("--ferry.agent.vms=" + String.join(",", vms));
        }
        s.startAgent(host, namespaces.exec(host), args);
        agents.put(host, new AgentInspection("http://" + address + ":" + port));
    }

    /** Runs every migration and returns the report (violations included; the caller decides). */
    SoakReport run() {
        log.info("chaos soak: {}", settings);
        for (int n = 1; n <= settings.migrations(); n++) {
            int remaining = settings.migrations() - n + 1;
            double mean = Math.max(0, settings.faults() - report.faultsInjected()) / (double) remaining;
            SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + n);
            // from none to twice the mean, so some migrations run (nearly) undisturbed and complete; the last takes the rest
            int quota = remaining == 1 ? (int) Math.ceil(mean) : random.nextInt((int) Math.ceil(2 * mean) + 1);
            if (!recover()) {
                report.note("the stack did not recover within " + RECOVERY.toSeconds() + " s before migration #" + n
                        + "; the soak stopped there");
                break;
            }
            new SoakMigration(this, n, quota, random).run();
        }
        String summary = report.summary();
        System.out.println(summary);
        try {
            Files.writeString(stack.runDir().resolve("summary.txt"), summary);
        } catch (java.io.IOException e) {
            log.warn("could not write the summary: {}", e.getMessage());
        }
        return report;
    }

    /** Heals what is still broken (every app running, database running, network whole) and waits until all answer. */
    boolean recover() {
        database.resume();
        if (network.isCut()) {
            network.heal();
        }
        if (!stack.broker().isRunning()) {
            stack.broker().restart();
        }
        for (String app : List.of(ORCHESTRATOR, HOSTS.get(0), HOSTS.get(1))) {
            if (!stack.isAlive(app)) {
                report.note("restarting " + app + ", found dead between migrations");
                restartApp(app);
            }
        }
        return answering();
    }

    private boolean answering() {
        return poll(RECOVERY, () -> api.healthy() && agents.values().stream().allMatch(a -> a.guests().isPresent())
                && HOSTS.stream().allMatch(api::knowsHost));
    }

    /** Starts a killed app again; an agent without the guests it booted at first (they are its to re-adopt). */
    void restartApp(String app) {
        if (!app.equals(ORCHESTRATOR)) {
            stack.arguments(app, args -> args.stream().filter(a -> !a.startsWith("--ferry.agent.vms=")).toList());
        }
        stack.restart(app);
    }

    /**
     * Boots a new guest on {@code host} when none is left to migrate: its agent is stopped and started with it. A new
     * name, so that a lost guest can never seem to come back.
     */
    String provision(String host) {
        String vm = newVm();
        report.note("no guest left with exactly one running copy: provisioned " + vm.split(":")[0] + " on " + host);
        stack.stop(host);
        stack.arguments(host, args -> {
            List<String> changed = new ArrayList<>(args.stream().filter(a -> !a.startsWith("--ferry.agent.vms=")).toList());
            changed.add("--ferry.agent.vms=" + vm);
            return changed;
        });
        stack.restart(host);
        stack.arguments(host, args -> args.stream().filter(a -> !a.startsWith("--ferry.agent.vms=")).toList());
        return vm.split(":")[0];
    }

    /** Every guest each agent reports, or empty if one does not answer. */
    Optional<Map<String, List<AgentInspection.Guest>>> guests() {
        Map<String, List<AgentInspection.Guest>> all = new LinkedHashMap<>();
        for (Map.Entry<String, AgentInspection> agent : agents.entrySet()) {
            Optional<List<AgentInspection.Guest>> guests = agent.getValue().guests();
            if (guests.isEmpty()) {
                return Optional.empty();
            }
            all.put(agent.getKey(), guests.get());
        }
        return Optional.of(all);
    }

    /** Injects faults while a migration runs: at most {@code quota}, each kind at most once at a time. */
    final class Injector {
        private final SplittableRandom random;
        private final String source;
        private final String destination;
        private final int quota;
        private final Set<Fault> active = ConcurrentHashMap.newKeySet();
        /** How long the orchestrator could not act (killed until it answers again, or its database paused). */
        final java.util.concurrent.atomic.AtomicLong stalledMillis = new java.util.concurrent.atomic.AtomicLong();
        final List<String> injected = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private volatile boolean stopped;
        private Thread loop;

        Injector(SplittableRandom random, String source, String destination, int quota) {
            this.random = random;
            this.source = source;
            this.destination = destination;
            this.quota = quota;
        }

        /** Whether the orchestrator is down or its database paused right now (its timeouts cannot fire then). */
        boolean stalling() {
            return active.contains(Fault.ORCHESTRATOR_KILL) || active.contains(Fault.DATABASE_PAUSE);
        }

        void start() {
            loop = Thread.ofPlatform().name("soak-injector").start(this::inject);
        }

        /** Stops injecting and waits until every injected fault has been healed. */
        void stopAndHeal() {
            stopped = true;
            join(loop);
            threads.forEach(ChaosSoak::join);
        }

        private void inject() {
            sleep(millis(500, 3_000));
            while (!stopped && injected.size() < quota) {
                List<Fault> free = EnumSet.allOf(Fault.class).stream().filter(f -> !active.contains(f)).toList();
                if (!free.isEmpty()) {
                    Fault fault = free.get(random.nextInt(free.size()));
                    long hold = switch (fault) {
                        case ORCHESTRATOR_KILL, SOURCE_AGENT_KILL, DESTINATION_AGENT_KILL -> millis(500, 5_000);
                        case BROKER_RESTART -> millis(1_000, 6_000);
                        case DATABASE_PAUSE -> millis(2_000, 20_000);
                        case NETWORK_CUT -> millis(2_000, 15_000);
                    };
                    active.add(fault);
                    injected.add(fault + " " + hold + " ms");
                    report.injected(fault);
                    threads.add(Thread.ofPlatform().name("soak-" + fault).start(() -> {
                        try {
                            apply(fault, hold);
                        } catch (RuntimeException e) {
                            report.note(fault + " could not be injected or healed: " + e.getMessage());
                        } finally {
                            active.remove(fault);
                        }
                    }));
                }
                sleep(millis(500, 4_000));
            }
        }

        private void apply(Fault fault, long hold) {
            log.info("chaos: {} for {} ms", fault, hold);
            switch (fault) {
                case ORCHESTRATOR_KILL -> {
                    long from = System.nanoTime();
                    killAndRestart(ORCHESTRATOR, hold);
                    poll(RECOVERY, api::healthy);
                    stalledMillis.addAndGet((System.nanoTime() - from) / 1_000_000);
                }
                case SOURCE_AGENT_KILL -> {
                    killAndRestart(source, hold);
                    poll(RECOVERY, () -> agents.get(source).guests().isPresent());
                }
                case DESTINATION_AGENT_KILL -> {
                    killAndRestart(destination, hold);
                    poll(RECOVERY, () -> agents.get(destination).guests().isPresent());
                }
                case BROKER_RESTART -> {
                    stack.broker().stop();
                    sleep(hold);
                    stack.broker().restart();
                }
                case DATABASE_PAUSE -> {
                    database.pause();
                    try {
                        sleep(hold);
                    } finally {
                        database.resume();
                        stalledMillis.addAndGet(hold);
                    }
                }
                case NETWORK_CUT -> {
                    network.cut();
                    try {
                        sleep(hold);
                    } finally {
                        network.heal();
                    }
                }
            }
        }

        private void killAndRestart(String app, long hold) {
            stack.kill(app);
            sleep(hold);
            restartApp(app);
        }

        private long millis(int from, int to) {
            return from + random.nextInt(to - from);
        }
    }

    static boolean poll(Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleep(250);
        }
        return condition.getAsBoolean();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            database.resume(); // a stopped postmaster would not stop
        } finally {
            try {
                stack.close();
            } finally {
                network.close();
            }
        }
    }
}
