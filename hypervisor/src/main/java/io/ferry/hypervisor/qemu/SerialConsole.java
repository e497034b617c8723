package io.ferry.hypervisor.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ferry's test guest printed on one QEMU's serial console: {@code READY} once per boot and a {@code TICK n ...
 * passes=P} heartbeat every 200 ms. A line cut by a pause (its start on the source, its end on the destination) is
 * not a whole tick line and does not count.
 */
public record SerialConsole(int readyLines, List<Tick> ticks) {
    private static final Pattern TICK = Pattern.compile("TICK (\\d+) up=([0-9.]+) passes=(\\d+)");

    /** One heartbeat: its number, the guest's uptime in seconds, and how many dirtying passes it had made. */
    public record Tick(long n, double uptime, long passes) {}

    public static SerialConsole read(Path log) {
        if (!Files.exists(log)) {
            return new SerialConsole(0, List.of());
        }
        try {
            return parse(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the serial console " + log, e);
        }
    }

    static SerialConsole parse(String text) {
        int ready = 0;
        List<Tick> ticks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replace("\r", "");
            boolean complete = i < lines.length - 1; // the last piece has no newline yet
            if (line.contains("READY up=")) {
                ready++;
            }
            Matcher tick = TICK.matcher(line);
            if (complete && tick.matches()) {
                ticks.add(new Tick(Long.parseLong(tick.group(1)), Double.parseDouble(tick.group(2)),
                        Long.parseLong(tick.group(3))));
            }
        }
        return new SerialConsole(ready, List.copyOf(ticks));
    }

    public boolean hasTicks() {
        return !ticks.isEmpty();
    }

    public Tick firstTick() {
        return ticks.getFirst();
    }

    public Tick lastTick() {
        return ticks.getLast();
    }
}
