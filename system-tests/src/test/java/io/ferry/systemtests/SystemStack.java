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
    final EventLog eventLog = new EventLog(this::db);

    private SystemStack(Class<?> testClass, String kafkaHost, Supplier<DatabaseHandle> database) {
        super(runDir(testClass), apps(runDir(testClass)), kafkaHost, database);
    }

    /**
     * The stack of a test class as its extension: started before the first test with the apps {@link #orchestrator}
     * and {@link #agent} name, closed after the last.
     */
    static SystemStack forClass(Class<?> testClass) {
        return new SystemStack(testClass, null, Databases::forTests);
    }

    /** Starts the broker on {@code kafkaHost} and the database {@code database} gives; the test starts the apps. */
    static SystemStack start(Class<?> testClass, String kafkaHost, Supplier<DatabaseHandle> database) {
        SystemStack stack = new SystemStack(testClass, kafkaHost, database);
        stack.open();
        return stack;
    }

    private static Path runDir(Class<?> testClass) {
        Path root = Path.of(System.getProperty("ferry.system.runDir", "target/system-tests")).toAbsolutePath().normalize();
        return root.resolve(testClass.getSimpleName());
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
