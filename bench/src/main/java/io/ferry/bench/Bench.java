package io.ferry.bench;

import io.ferry.hypervisor.qemu.GuestImage;
import io.ferry.hypervisor.qemu.QemuHypervisor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * End-to-end benchmark: one {@code ferry demo --json} per scenario (workload x link, simulated or QEMU driver), QEMU
 * migrating alone and a raw loopback TCP baseline measured in the same run, a table on stdout,
 * bench/target/bench-results.json, and issue 11's targets as ratios with their verdicts.
 * Exit status: 0 when every run produced a summary (whatever the verdicts), 1 when a run failed to, 64 on bad usage.
 */
public final class Bench {
    private static final String USAGE = """
            usage: bench/run history [--events N]     one migration's history on a log of N events (default 2M)
                   bench/run [--memory MB] [--only NAME[,NAME...]] [--repeat N] [--loopback-gib N]
                             [--drivers-memory MB] [--drivers-dirty MiB] [--warm-up N]
              --memory MB       memory of the simulated scenarios' VM SERVER2 (default 1024)
              --only NAME       run only what matches NAME: issue11 (what issue 11 judges: idle-uncapped,
                                idle-1g, hotset-1g, qemu-ferry, qemu-alone; --repeat defaults to 3), a scenario
                                (hotset-1g, qemu-alone, outrun-1g: heavy without auto-converge, which fails and is
                                migrated again under its what-if's policy), a workload (idle, uniform, hotset,
                                heavy, outrun, qemu), a link
                                (1g, uncapped), or drivers (the QEMU and simulated driver pair); repeatable
              --repeat N        run each scenario N times, interleaved; targets use the median or the worst
                                (default 1, 3 with --only issue11)
              --loopback-gib N  bytes per loopback baseline transfer, best of 3 (default 2)
                                --only scale: issue 13's scale scenario alone (its options below)
              --drivers-memory MB, --drivers-dirty MiB
                                the QEMU guest's memory and how much of it it rewrites in a loop, for
                                qemu-ferry, qemu-alone and the driver pair (default 256 and 64)
              --warm-up N       round trips each demo runs uncapped before the measured migration (default 5;
                                none for outrun-1g): long-running agents are past their JVMs' first-use costs,
                                and the estimate learns the link and overheads from ferry's recent migrations
            """;
    static final String DRIVERS = "drivers";
    static final String ISSUE11 = "issue11";
    static final String SCALE = "scale";

    private Bench() {
    }

    /**
     * What to run.
     *
     * @param drivers whether the driver pair runs too
     */
    record Options(int memoryMb, int repeat, long loopbackBytes, int qemuMemoryMb, int qemuDirtyMb, List<Scenario> scenarios,
            boolean drivers, int warmUps) {
        /** @throws IllegalArgumentException saying which option is wrong */
        static Options parse(String[] args) {
            int memoryMb = 1024;
            Integer repeat = null;
            long loopbackBytes = 2L << 30;
            int qemuMemoryMb = 256;
            int qemuDirtyMb = 64;
            int warmUps = DemoRunner.WARM_UPS;
            List<String> only = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--memory" -> memoryMb = Integer.parseInt(value(args, ++i));
                    case "--repeat" -> repeat = Integer.parseInt(value(args, ++i));
                    case "--loopback-gib" -> loopbackBytes = Long.parseLong(value(args, ++i)) << 30;
                    case "--only" -> only.addAll(Arrays.asList(value(args, ++i).split(",")));
                    case "--drivers-memory" -> qemuMemoryMb = Integer.parseInt(value(args, ++i));
                    case "--drivers-dirty" -> qemuDirtyMb = Integer.parseInt(value(args, ++i));
                    case "--warm-up" -> warmUps = Integer.parseInt(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (repeat == null) {
                repeat = only.contains(ISSUE11) ? Targets.ISSUE_RUNS : 1;
            }
            if (memoryMb < 1 || repeat < 1 || loopbackBytes < 1 || qemuMemoryMb < 1 || qemuDirtyMb < 0
                    || qemuDirtyMb >= qemuMemoryMb || warmUps < 0 || warmUps > 20) {
                throw new IllegalArgumentException("--memory, --repeat, --loopback-gib and --drivers-memory must be positive, "
                        + "--drivers-dirty below --drivers-memory and --warm-up between 0 and 20");
            }
            boolean drivers = only.isEmpty() || only.contains(DRIVERS);
            List<String> filters = only.stream().filter(o -> !o.equals(DRIVERS)).toList();
            List<Scenario> all = Scenario.all(memoryMb, qemuMemoryMb, qemuDirtyMb);
            List<Scenario> scenarios = only.isEmpty() || !filters.isEmpty() ? all.stream()
                    .filter(s -> filters.isEmpty() || filters.stream().anyMatch(s::matches)).toList() : List.of();
            if (scenarios.isEmpty() && !drivers) {
                throw new IllegalArgumentException("--only " + only + " matches none of " + ISSUE11 + ", " + DRIVERS + " or "
                        + all.stream().map(Scenario::name).toList());
            }
            return new Options(memoryMb, repeat, loopbackBytes, qemuMemoryMb, qemuDirtyMb, scenarios, drivers, warmUps);
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("history")) {
            return HistoryQueries.run(Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && args[0].equals("hop-probe")) {
            return io.ferry.bench.scale.HopProbe.run(args);
        }
        int only = Arrays.asList(args).indexOf("--only");
        if (only >= 0 && only + 1 < args.length && args[only + 1].equals(SCALE)) {
            List<String> rest = new ArrayList<>(Arrays.asList(args));
            rest.subList(only, only + 2).clear();
            return scale(rest);
        }
        if (Arrays.asList(args).contains("-h") || Arrays.asList(args).contains("--help")) {
            System.out.print(USAGE);
            System.out.print(io.ferry.bench.scale.ScaleBench.USAGE);
            return 0;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
            return 64;
        }
        List<Scenario> scenarios = options.scenarios();
        boolean qemu = QemuHypervisor.installed("qemu-system-x86_64") && QemuHypervisor.installed("qemu-img");
        if (!qemu && scenarios.stream().anyMatch(Scenario::needsQemu)) {
            System.err.println("bench: qemu-system-x86_64 or qemu-img is not installed (apt-get install qemu-system-x86 "
                    + "qemu-utils busybox-static): skipping " + scenarios.stream().filter(Scenario::needsQemu)
                    .map(Scenario::name).toList() + "; the targets against QEMU alone are not judged");
            scenarios = scenarios.stream().filter(s -> !s.needsQemu()).toList();
        }

        Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
        Path ferry = home.resolve("ferry");
        Path target = home.resolve("bench").resolve("target");
        Path logs = target.resolve("bench-logs");
        String problem = scenarios.stream().anyMatch(Scenario::throughFerry) ? missingDemoOptions(ferry) : null;
        if (problem != null) {
            System.err.println("bench: " + problem);
            return 1;
        }

        Loopback.Result loopback = Loopback.Result.NOT_MEASURED;
        Loopback.Result floor = Loopback.Result.NOT_MEASURED;
        if (scenarios.stream().anyMatch(s -> s.driver() == Scenario.Driver.SIMULATED && !s.capped())) {
            System.err.printf("bench: measuring raw loopback TCP (best of 3 x %d MiB)%n", options.loopbackBytes() >> 20);
            loopback = Loopback.bestOf(3, options.loopbackBytes());
            System.err.printf("bench: loopback %.0f MiB/s%n", loopback.bytesPerSec() / (1 << 20));
            System.err.printf("bench: measuring the verified-stream floor (copy + CRC32C per page, best of 3 x %d MiB)%n",
                    options.loopbackBytes() >> 20);
            floor = VerifiedStreamFloor.bestOf(3, options.loopbackBytes());
            System.err.printf("bench: verified-stream floor %.0f MiB/s%n", floor.bytesPerSec() / (1 << 20));
        }
        GuestImage image = scenarios.stream().anyMatch(s -> s.driver() == Scenario.Driver.QEMU_ALONE)
                ? GuestImage.ensure(GuestImage.defaultDir()) : null;

        DemoRunner runner = new DemoRunner(ferry, logs, options.warmUps());
        List<Run> runs = new ArrayList<>();
        int total = scenarios.size() * options.repeat();
        // attempt by attempt, so a slow spell of this shared machine falls on every scenario, not on one
        for (int attempt = 1; attempt <= options.repeat(); attempt++) {
            for (Scenario s : scenarios) {
                String what = s.driver() == Scenario.Driver.QEMU_ALONE
                        ? "two QEMUs over QMP, " + s.memoryMb() + " MB guest rewriting " + s.dirtyMb() + " MiB"
                        : String.join(" ", runner.command(s));
                System.err.printf("bench: [%d/%d] %s: %s%n", runs.size() + 1, total, s.name(), what);
                long start = System.nanoTime();
                Run r = switch (s.driver()) {
                    case SIMULATED, QEMU -> runner.run(s, attempt);
                    case QEMU_ALONE -> QemuAlone.run(s, attempt, image, logs);
                };
                runs.add(r);
                System.err.printf("bench:        %s in %d s%s%n", r.state(),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                        r.demo() == null ? ": " + r.error() : ": total " + r.totalMs() + " ms, downtime " + r.downtimeMs()
                                + " ms, " + r.rounds() + " rounds");
            }
        }

        DriverPair.Result pair = null;
        String pairError = null;
        if (options.drivers()) {
            System.err.printf("bench: driver pair: a %d MB guest rewriting %d MiB, on QEMU then on the simulated driver%n",
                    options.qemuMemoryMb(), options.qemuDirtyMb());
            try {
                pair = DriverPair.run(options.qemuMemoryMb(), options.qemuDirtyMb(), target.resolve("bench-drivers"));
            } catch (Exception | AssertionError e) {
                pairError = e.toString();
                System.err.println("bench: the driver pair failed: " + pairError);
            }
        }

        List<Targets.Target> targets = Targets.judge(runs, loopback.bytesPerSec(), floor.bytesPerSec());
        if (!runs.isEmpty()) {
            System.out.println();
            System.out.print(Report.table(runs, loopback.bytesPerSec(), options.repeat()));
            String alone = Report.qemuAlone(runs);
            if (!alone.isEmpty()) {
                System.out.println();
                System.out.print(alone);
            }
            System.out.println();
            System.out.print(Report.targets(targets));
            System.out.println();
            System.out.print(EstimateAccuracy.table(EstimateAccuracy.judge(runs)));
            System.err.print(Report.errors(runs));
        }
        if (pair != null) {
            System.out.println();
            System.out.print(Report.drivers(pair));
        }

        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode json = Report.json(mapper, machine(mapper), options.memoryMb(), options.repeat(), loopback, runs, targets);
        EstimateAccuracy.json(json.putArray("estimateAccuracy"), EstimateAccuracy.judge(runs));
        EstimateAccuracy.byScenario(json.putObject("estimateAccuracyByScenario"), EstimateAccuracy.judge(runs));
        ObjectNode floorJson = json.putObject("verifiedStreamFloor");
        Report.putNumber(floorJson, "bytesPerSec", floor.bytesPerSec());
        floorJson.put("bytesPerTry", floor.bytesPerTry()).put("tries", floor.tries());
        if (pair != null) {
            json.set("drivers", Report.driversJson(mapper, pair));
        } else if (pairError != null) {
            json.putObject("drivers").put("error", pairError);
        }
        Files.createDirectories(target);
        Path results = target.resolve("bench-results.json");
        Files.writeString(results, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        System.err.println("bench: wrote " + results);
        return runs.stream().anyMatch(r -> r.error() != null) || pairError != null ? 1 : 0;
    }

    /** Issue 13's scale scenario alone: its figures go under "scale" in bench-results.json. */
    private static int scale(List<String> args) throws Exception {
        Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
        Path target = home.resolve("bench").resolve("target");
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode scale;
        try {
            scale = io.ferry.bench.scale.ScaleBench.run(args, home);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + "\n" + io.ferry.bench.scale.ScaleBench.USAGE);
            return 64;
        }
        System.out.println();
        System.out.print(io.ferry.bench.scale.ScaleBench.table(scale));
        ObjectNode json = mapper.createObjectNode();
        json.set("machine", machine(mapper));
        json.set("scale", scale);
        Files.createDirectories(target);
        Path results = target.resolve("bench-results.json");
        Files.writeString(results, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        System.err.println("bench: wrote " + results);
        return scale.path("drain").path("allVerified").asBoolean(true) ? 0 : 1;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** Why the ferry jars cannot run the scenarios (they predate an option), or null when they can. */
    private static String missingDemoOptions(Path ferry) throws IOException, InterruptedException {
        Process help = new ProcessBuilder(ferry.toString(), "demo", "--help").redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        help.waitFor();
        for (String option : List.of("--json", "--workload", "--bandwidth", "--driver", "--remedy")) {
            if (!text.contains(option)) {
                return "`" + ferry + " demo --help` does not list " + option
                        + ": rebuild the jars (mvn -DskipTests install) or update the source. It printed:\n" + text;
            }
        }
        return null;
    }

    private static ObjectNode machine(JsonMapper mapper) {
        ObjectNode m = mapper.createObjectNode();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("javaVersion", System.getProperty("java.runtime.version"));
        m.put("javaVendor", System.getProperty("java.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpu", cpuModel());
        m.put("date", OffsetDateTime.now().toString());
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
