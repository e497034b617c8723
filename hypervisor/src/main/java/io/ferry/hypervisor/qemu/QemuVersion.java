package io.ferry.hypervisor.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The major version of a QEMU binary, from its {@code --version}, asked once per binary. */
final class QemuVersion {
    private static final Pattern VERSION = Pattern.compile("QEMU emulator version (\\d+)\\.");
    private static final Map<String, Integer> MAJORS = new ConcurrentHashMap<>();

    private QemuVersion() {}

    /** 0 when the binary does not run or does not say: treated as the oldest, whose workarounds are the safe side. */
    static int major(String binary) {
        return MAJORS.computeIfAbsent(binary, QemuVersion::ask);
    }

    static int parse(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static int ask(String binary) {
        try {
            Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
            // wait first: reading to the end would block for as long as a stuck binary keeps its output open
            // (its two lines fit the pipe, so the wait cannot block on them)
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return 0;
            }
            return parse(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
