package io.ferry.agent.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Stage 6: the physical switch's MAC table, kept as one file per MAC address in a directory every host sees.
 * Announcing (a gratuitous RARP in Hyper-V, QEMU's announce-self) makes the switch re-learn the MAC on this
 * host's port.
 */
public final class SimulatedSwitch {
    private final Path table;

    public SimulatedSwitch(Path table) {
        this.table = table;
        try {
            Files.createDirectories(table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the switch MAC table " + table, e);
        }
    }

    public void announce(String macAddress, String port) {
        try {
            Path tmp = Files.createTempFile(table, "mac", ".tmp");
            Files.writeString(tmp, port);
            Files.move(tmp, entry(macAddress), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the switch's entry for " + macAddress, e);
        }
    }

    public Optional<String> portOf(String macAddress) {
        try {
            Path entry = entry(macAddress);
            return Files.exists(entry) ? Optional.of(Files.readString(entry).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path entry(String macAddress) {
        return table.resolve(macAddress.toLowerCase().replace(':', '-'));
    }
}
