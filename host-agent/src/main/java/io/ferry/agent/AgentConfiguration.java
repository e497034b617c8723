package io.ferry.agent;

import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.qemu.GuestImage;
import io.ferry.hypervisor.qemu.QemuHypervisor;
import io.ferry.hypervisor.simulated.SimulatedHypervisor;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import io.ferry.agent.network.SimulatedSwitch;
import io.ferry.agent.storage.StorageLeases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

@Configuration(proxyBeanMethods = false)
public class AgentConfiguration {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The driver behind every stage, chosen per host by ferry.agent.driver (FERRY_AGENT_DRIVER): the simulated VM or
     * QEMU. Either boots this host's inventory (ferry.agent.vms), each guest holding its disk's lease.
     */
    @Bean
    Hypervisor hypervisor(AgentProperties p, Clock clock, StorageLeases leases) {
        return switch (p.driver()) {
            case AgentProperties.QEMU -> qemuHypervisor(p, clock, leases);
            default -> simulatedHypervisor(p, clock, leases);
        };
    }

    private static SimulatedHypervisor simulatedHypervisor(AgentProperties p, Clock clock, StorageLeases leases) {
        Path runDir = p.keepGuests() ? p.runDir() : null;
        SimulatedHypervisor hypervisor = new SimulatedHypervisor(new SimulatedHypervisor.Settings(p.totalMemoryMb(),
                p.cpuFeatures(), p.utilisation(), GuestWorkload.parse(p.workload()), ContentMix.parse(p.contentMix()),
                p.memoryDir(), p.bindHost(), p.dataPort(), p.advertisedHost(), runDir), clock);
        if (!hypervisor.bootsInventory()) {
            // A restart: the run directory says what this host holds (a guest may have migrated away or here since).
            log.info("{} restarted: re-adopted {} from {}, not booting ferry.agent.vms again (delete that directory or "
                    + "start with ferry up for a fresh host)", p.host(), hypervisor.vms().stream()
                    .map(vm -> vm.spec().vmId() + " " + vm.state()).toList(), runDir);
            return hypervisor;
        }
        for (String text : p.vms()) {
            InventoryVm vm = parseVm(p.host(), text);
            leases.acquire(Disks.of(vm.spec().diskPath()), p.host());
            hypervisor.boot(vm.spec(), vm.workload());
        }
        hypervisor.inventoryBooted();
        return hypervisor;
    }

    private static QemuHypervisor qemuHypervisor(AgentProperties p, Clock clock, StorageLeases leases) {
        AgentProperties.Qemu q = p.qemu();
        Path guestDir = q.guestDir() != null ? q.guestDir() : GuestImage.defaultDir();
        GuestImage image = q.kernel() != null && q.initrd() != null ? new GuestImage(q.kernel(), q.initrd())
                : GuestImage.ensure(guestDir);
        Path runDir = q.runDir() != null ? q.runDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "ferry-qemu", p.host());
        QemuHypervisor hypervisor = new QemuHypervisor(new QemuHypervisor.Settings(q.binary(), image, q.machine(), q.accel(),
                q.dirtyMb(), q.diskMb(), q.diskCache(), runDir, p.totalMemoryMb(), p.cpuFeatures(), p.bindHost(),
                p.advertisedHost(), q.tls(), p.keepGuests()), clock);
        if (!hypervisor.bootsInventory()) {
            // A restart: the QEMUs described in the run directory are what this host holds (see QemuReadoption).
            log.info("{} restarted: re-adopted {} from {}, not booting ferry.agent.vms again (stop those QEMUs and delete "
                    + "that directory, or start with ferry up, for a fresh host)", p.host(), hypervisor.vms().stream()
                    .map(vm -> vm.spec().vmId() + " " + vm.state()).toList(), runDir);
            return hypervisor;
        }
        try {
            for (String text : p.vms()) {
                InventoryVm vm = parseVm(p.host(), text);
                if (vm.workload() != null) {
                    log.warn("ferry.agent.vms entry '{}' names a simulated workload; a QEMU guest rewrites "
                            + "ferry.agent.qemu.dirty-mb ({} MiB) instead", text, q.dirtyMb());
                }
                VmSpec spec = onSharedDisk(vm.spec(), p.storageDir());
                leases.acquire(Disks.of(spec.diskPath()), p.host());
                hypervisor.boot(spec);
            }
        } catch (RuntimeException e) {
            hypervisor.stopGuests(); // a first start that failed half-way: nothing of it is to be re-adopted
            hypervisor.close();
            throw e;
        }
        hypervisor.inventoryBooted();
        return hypervisor;
    }

    /** A QEMU guest's disk is a qcow2 image in the storage every host sees: STORAGE_DIR/disks/NAME.qcow2. */
    static VmSpec onSharedDisk(VmSpec spec, Path storageDir) {
        Path disk = storageDir.toAbsolutePath().resolve("disks").resolve(spec.vmId() + ".qcow2");
        return new VmSpec(spec.vmId(), spec.memoryMb(), spec.vcpus(), spec.macAddress(), disk.toString(), spec.cpuFeatures());
    }

    @Bean
    StorageLeases storageLeases(AgentProperties p) {
        return new StorageLeases(p.storageDir());
    }

    @Bean
    SimulatedSwitch simulatedSwitch(AgentProperties p) {
        return new SimulatedSwitch(p.switchDir());
    }

    @Bean
    NewTopic commandTopic(AgentProperties p) {
        return TopicBuilder.name(p.commandTopic()).partitions(3).replicas(1).build();
    }

    /** A guest of the inventory; {@code workload} null means the host's. */
    record InventoryVm(VmSpec spec, GuestWorkload workload) {}

    /**
     * NAME:MEMORY_MB[:VCPUS[:WORKLOAD]] -> a guest with a MAC and disk derived from its name. The workload spec has
     * colons of its own, so everything after the third field is the workload: SERVER2:1024:2:hotset:20000:0.1.
     */
    static InventoryVm parseVm(String host, String text) {
        String[] parts = text.strip().split(":", 4);
        if (parts.length < 2) {
            throw new IllegalArgumentException("ferry.agent.vms entry '" + text
                    + "' must be NAME:MEMORY_MB[:VCPUS[:WORKLOAD]], e.g. SERVER2:1024 or SERVER2:1024:2:hotset:20000");
        }
        int memoryMb;
        int vcpus;
        try {
            memoryMb = Integer.parseInt(parts[1]);
            vcpus = parts.length >= 3 ? Integer.parseInt(parts[2]) : 2;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ferry.agent.vms entry '" + text + "': memory and vcpus must be numbers");
        }
        String name = parts[0];
        int h = name.hashCode();
        String mac = String.format(Locale.ROOT, "00:15:5d:%02x:%02x:%02x", (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
        GuestWorkload workload;
        try {
            workload = parts.length == 4 ? GuestWorkload.parse(parts[3]) : null;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ferry.agent.vms entry '" + text + "': " + e.getMessage(), e);
        }
        VmSpec spec = new VmSpec(name, memoryMb, vcpus, mac, "/ferry/disks/" + name + ".vhdx", List.of("sse4_2", "avx", "avx2"));
        return new InventoryVm(spec, workload);
    }
}
