package io.ferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An app of the stack running as its own JVM, with its log and PID files, so it can be killed on its own. */
final class Child {
    final String name;
    final Process process;
    final Path log;

    private Child(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static Child start(String name, Path jar, List<String> jvmOptions, List<String> args, Path runDir) throws IOException {
        return start(name, jar, jvmOptions, args, java.util.Map.of(), runDir);
    }

    /** @param environment added to the child's environment: where secrets go, since a command line is public */
    static Child start(String name, Path jar, List<String> jvmOptions, List<String> args,
            java.util.Map<String, String> environment, Path runDir) throws IOException {
        Path log = runDir.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        Files.writeString(runDir.resolve(name + ".pid"), Long.toString(process.pid()));
        return new Child(name, process, log);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Peak resident set size so far, or -1 where unknown: Linux VmHWM (which includes mapped guest memory in /dev/shm)
     * plus the most huge pages seen held at once ({@link #sampleHugePages}), since VmHWM leaves hugetlbfs pages out.
     */
    long peakRssBytes() {
        long hwm = status("VmHWM:");
        return hwm < 0 ? -1 : hwm + peakHugePageBytes;
    }

    private volatile long peakHugePageBytes;

    /** Notes the huge pages (hugetlbfs guest memory) the process holds now; the caller samples while it runs. */
    void sampleHugePages() {
        long now = status("HugetlbPages:");
        if (now > peakHugePageBytes) {
            peakHugePageBytes = now;
        }
    }

    /** A kB field of /proc/PID/status in bytes, or -1 when not there (not Linux, or the process is gone). */
    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** SIGTERM, then SIGKILL if it has not stopped within the grace period. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops processes a previous run left behind (the launcher was killed with SIGKILL). */
    static void reapStale(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (var files = Files.list(runDir)) {
            for (Path pidFile : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                try {
                    long pid = Long.parseLong(Files.readString(pidFile).strip());
                    ProcessHandle.of(pid).filter(p -> p.info().commandLine().orElse("").contains("ferry")).ifPresent(p -> {
                        System.out.println("stopping " + pidFile.getFileName() + " (pid " + pid + ") left over from an earlier run");
                        p.destroy();
                        try {
                            p.onExit().get(15, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            p.destroyForcibly();
                        }
                    });
                } catch (NumberFormatException ignored) {
                    // not a pid file of ours
                }
                Files.deleteIfExists(pidFile);
            }
        }
    }
}
