package io.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs {@code ./ferry demo --json} for a scenario through ferry; its stderr (progress) goes to a log file per run. */
final class DemoRunner {
    private static final long TIMEOUT_MINUTES = 10;
    private static final int STDERR_TAIL_LINES = 25;

    /** The agents' setting ferry.agent.qemu.dirty-mb, as Spring reads it from the environment. */
    static final String QEMU_DIRTY_MB = "FERRY_AGENT_QEMU_DIRTYMB";

    /**
     * Round trips before the measured migration. Not one: a fresh stack's first migrations run 1.5-4 s slower than its
     * later ones here (measured: 2.0, 1.5, 1.2, 1.2, 1.1 s for a 1 GiB guest), and the estimate learns from them. Five,
     * not three: after three the legs still got faster leg by leg, and the estimate, learnt from them, leaned long
     * (2026-12-02, the uncapped simulated scenarios and qemu-ferry three times each: 7 of 12 within ± 20 %,
     * uniform-uncapped's median +27 %; with five, 9 of 12 and every median within).
     */
    static final int WARM_UPS = 5;

    private final Path ferry;
    private final Path logDir;
    private final int warmUps;
    private final JsonMapper json = JsonMapper.builder().build();

    DemoRunner(Path ferry, Path logDir, int warmUps) {
        this.ferry = ferry;
        this.logDir = logDir;
        this.warmUps = warmUps;
    }

    List<String> command(Scenario s) {
        // Round trips first: agents and an orchestrator run for months, so the measured migration is not the first
        // their JVMs ever ran (that one costs 2-3 s more here, in class loading and interpreted code; reported as warmUps).
        // --remedy: a run that fails NOT_CONVERGING is tried again under the policy its what-if names (issue 14's point 3)
        List<String> command = new ArrayList<>(List.of(ferry.toString(), "demo", "--json", "--remedy",
                "--warm-up", Integer.toString(s.warmsUp() ? warmUps : 0), "--memory", Integer.toString(s.memoryMb())));
        switch (s.driver()) {
            case SIMULATED -> command.addAll(List.of("--workload", s.workloadSpec()));
            case QEMU -> command.addAll(List.of("--driver", "qemu")); // the guest rewrites QEMU_DIRTY_MB instead
            case QEMU_ALONE -> throw new IllegalArgumentException(s.name() + " does not run through ferry demo");
        }
        command.addAll(s.policy());
        if (s.capped()) {
            command.addAll(List.of("--bandwidth", Integer.toString(s.bandwidthMbps())));
        }
        return command;
    }

    Run run(Scenario s, int attempt) throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(s.name() + "-" + attempt + ".log");
        List<String> command = command(s);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        if (s.driver() == Scenario.Driver.QEMU) {
            builder.environment().put(QEMU_DIRTY_MB, Integer.toString(s.dirtyMb())); // the agents inherit it
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout;
        try (InputStream in = process.getInputStream()) {
            stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return Run.failed(s, attempt, "ferry demo did not finish within " + TIMEOUT_MINUTES + " minutes" + tail(log)
                    + keptStackLogs(s, attempt));
        }
        int exit = process.exitValue();
        JsonNode demo = lastJsonLine(stdout);
        // exit 2 with a summary = the migration ran and FAILED: a result, not a bench error
        if (demo == null || (exit != 0 && exit != 2)) {
            return Run.failed(s, attempt, "`" + String.join(" ", command) + "` exited " + exit
                    + (demo == null ? " without a JSON summary" : "") + tail(log) + keptStackLogs(s, attempt));
        }
        // each run's summary as it comes, so a report that fails later loses no run
        Files.writeString(logDir.resolve(s.name() + "-" + attempt + ".json"), demo.toString());
        return new Run(s, attempt, demo, null);
    }

    /**
     * A demo that did not finish leaves its processes' logs in {@code .ferry/demo/logs}, which the next demo overwrites:
     * they are copied beside the run's stderr, so a failure that does not come back can still be read.
     */
    private String keptStackLogs(Scenario s, int attempt) {
        Path stackLogs = ferry.toAbsolutePath().getParent().resolve(".ferry").resolve("demo").resolve("logs");
        Path kept = logDir.resolve(s.name() + "-" + attempt + "-stack-logs");
        if (!Files.isDirectory(stackLogs)) {
            return "; the stack left no logs at " + stackLogs;
        }
        try (var files = Files.list(stackLogs)) {
            Files.createDirectories(kept);
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, kept.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return "; the stack's logs are kept in " + kept;
        } catch (IOException e) {
            return "; could not keep the stack's logs from " + stackLogs + ": " + e.getMessage();
        }
    }

    private JsonNode lastJsonLine(String stdout) {
        List<String> lines = stdout.lines().map(String::strip).filter(l -> l.startsWith("{")).toList();
        if (lines.isEmpty()) {
            return null;
        }
        try {
            return json.readTree(lines.getLast());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> tail = lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size());
            return "; stderr tail (" + log + "):\n    " + String.join("\n    ", tail);
        } catch (IOException e) {
            return "; no stderr log at " + log;
        }
    }
}
