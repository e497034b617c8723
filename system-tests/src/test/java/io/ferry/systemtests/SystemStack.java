package io.ferry.systemtests;

import io.ferry.agent.Disks;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import io.ferry.hypervisor.simulated.GuestMemory;
import io.ferry.hypervisor.simulated.GuestStore;
import io.ferry.testkit.ProcessStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A {@link ProcessStack} for one system-test class, from the runnable jars the reactor built: its run directory is
 * {@code system-tests/target/system-tests/<name>/}, and its agents' guests live in /dev/shm when usable. It adds what
 * the tests read besides the REST API: the event log and the storage leases.
 */
final class SystemStack extends ProcessStack {
    final EventLog eventLog;

    private SystemStack(Path runDir, String kafkaHost, Supplier<DatabaseHandle> database) {
        super(runDir, apps(runDir), kafkaHost, database);
        eventLog = new EventLog(db());
    }

    /** Starts the broker and the database; the apps are started by the test, each on its own. */
    static SystemStack start(Class<?> testClass) {
        return start(testClass, null, Databases::forTests);
    }

    /** Like {@link #start(Class)}, with the broker on {@code kafkaHost} and the database {@code database} gives. */
    static SystemStack start(Class<?> testClass, String kafkaHost, Supplier<DatabaseHandle> database) {
        Path root = Path.of(System.getProperty("ferry.system.runDir", "target/system-tests")).toAbsolutePath().normalize();
        return new SystemStack(root.resolve(testClass.getSimpleName()), kafkaHost, database);
    }

    /** The apps' jars, and guests named after the run directory, apart from any other stack's hosts of the same name. */
    private static Apps apps(Path runDir) {
        Path guests = GuestMemory.defaultDirectory(0).resolve("ferry-system-" + Integer.toHexString(runDir.toString().hashCode()));
        return new Apps(execJar("ferry.system.orchestratorTarget", "../orchestrator/target", "ferry-orchestrator"),
                execJar("ferry.system.agentTarget", "../host-agent/target", "ferry-host-agent"), guests, GuestStore::wipe);
    }

    /**
     * A migration request body for POST /api/migrations, with a fresh request id (no requestedBy: REST records the
     * logged-in user and refuses the field).
     */
    static Map<String, Object> migrationRequest(String vmId, String destinationHost, int bandwidthMbps) {
        return Map.of("requestId", "system-test-" + UUID.randomUUID(), "vmId", vmId,
                "destinationHost", destinationHost, "bandwidthMbps", bandwidthMbps);
    }

    /** The storage lease of the VM's disk as the shared storage holds it. */
    StorageLeases.Lease leaseOf(String diskPath) {
        return new StorageLeases(shared().resolve("storage")).current(Disks.of(diskPath));
    }

    private static Path execJar(String property, String fallback, String artifact) {
        Path target = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            try (var files = Files.list(target)) {
                var jar = files.filter(p -> p.getFileName().toString().startsWith(artifact)
                        && p.getFileName().toString().endsWith("-exec.jar")).findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no " + artifact + "-*-exec.jar in " + target + ": the system tests run the apps "
                + "from their runnable jars; build them first (mvn -B verify from the root builds them before these tests, "
                + "or mvn -B package -DskipTests)");
    }
}
