package io.ferry.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A main class from the test classpath running in a JVM of its own, with its output captured. */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private volatile boolean finished;

    private record Waiter(String prefix, CompletableFuture<String> line) {
    }

    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        // Reads until EOF so the child never blocks on a full pipe.
        reader = new Thread(this::drain, "child-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Short-lived helper JVMs on a 2-core box: C1 only and the serial GC start noticeably faster.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits for a line starting with prefix and returns it; fails with the child's output otherwise. */
    String awaitLine(String prefix, int timeoutSeconds) {
        CompletableFuture<String> line = new CompletableFuture<>();
        waiters.add(new Waiter(prefix, line));
        // A line printed before we registered is already in output; one printed after completes the waiter.
        output.stream().filter(l -> l.startsWith(prefix)).findFirst().ifPresent(line::complete);
        if (finished) {
            line.completeExceptionally(new IllegalStateException("child JVM exited"));
        }
        try {
            return line.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("child JVM printed no line starting with '" + prefix + "' within "
                    + timeoutSeconds + " s; its output:\n" + String.join("\n", output), e);
        }
    }

    /** Waits for the child to exit and for its last output line to be read; returns the exit code. */
    int awaitExit(int timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError("child JVM still running after " + timeoutSeconds + " s; its output:\n" + output());
        }
        reader.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        return process.exitValue();
    }

    /**
     * SIGTERM, keeping our end of the pipe open. (Process.destroy() also closes the streams, so whatever the
     * child's shutdown hooks print would be lost; ProcessHandle.destroy() only sends the signal.)
     */
    void sigterm() {
        process.toHandle().destroy();
    }

    Process process() {
        return process;
    }

    String output() {
        return String.join("\n", output);
    }

    private void drain() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                for (Waiter waiter : waiters) {
                    if (line.startsWith(waiter.prefix())) {
                        waiter.line().complete(line);
                    }
                }
            }
        } catch (IOException e) {
            // the child is gone; waiters fail below
        }
        finished = true;
        waiters.forEach(waiter -> waiter.line().completeExceptionally(new IllegalStateException("child JVM exited")));
    }

    /** Kills the child (SIGKILL) if it is still running. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
}
