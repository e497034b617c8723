package io.ferry.hypervisor.simulated;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two simulated hosts of this machine for one test, a source and a destination with their data channels on loopback
 * (4 GiB each, guests 60 % used, writing {@code writesPerSecond}); both are closed after the test.
 */
final class TwoSimulatedHosts implements AfterEachCallback {
    final SimulatedHypervisor source;
    final SimulatedHypervisor destination;

    TwoSimulatedHosts(long writesPerSecond) {
        source = host(writesPerSecond);
        destination = host(writesPerSecond);
    }

    private static SimulatedHypervisor host(long writesPerSecond) {
        return new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(), 0.6, writesPerSecond, "127.0.0.1", 0,
                "127.0.0.1"), Clock.systemUTC());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        source.close();
        destination.close();
    }
}
