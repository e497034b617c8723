package io.ferry.agent;

import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One agent per physical host. Every setting can come from the environment (FERRY_AGENT_HOST, ...).
 *
 * @param host this host's name; the agent consumes only ferry.agent-commands.&lt;host&gt;
 * @param vms guests this host boots at start, as NAME:MEMORY_MB[:VCPUS[:WORKLOAD]] (the simulated driver's inventory),
 *     e.g. SERVER2:1024:2:hotset:20000
 * @param utilisation share of each booted guest's memory it has already used (only used pages are copied)
 * @param workload what each running guest does to its memory unless its vms entry says: idle, uniform:N,
 *     hotset:N[:FRACTION[:SHARE]], sweep:N or heavy[:N], N in page writes per second (default uniform:2000)
 * @param writesPerSecond deprecated (FERRY_AGENT_WRITES_PER_SECOND): means workload uniform:N, or idle for 0, and
 *     counts only when workload is not set
 * @param contentMix what the used pages of a booted guest contain, as random:R,text:T,zero:Z summing to 1
 * @param memoryDir where guest memory is mapped from; unset: /dev/shm when usable, else java.io.tmpdir. A hugetlbfs
 *     mount (/dev/hugepages) takes the pages from the reserved huge page pool, as QEMU's -mem-path does
 * @param runDir where the simulated driver keeps its guests (memory and a description per VM) so that they outlive
 *     the agent and a restarted agent re-adopts them; unset: MEMORY_DIR/ferry-HOST (e.g. /dev/shm/ferry-hv-01; the
 *     temporary directory when /dev/shm cannot hold total-memory-mb).
 *     Deleting it makes the next start a fresh one that boots {@code vms} again
 * @param keepGuests false: guests die with the agent (memory unlinked, QEMUs quit, inventory booted at every start);
 *     true: QEMU guests too outlive the agent, described in ferry.agent.qemu.run-dir, and a restart re-adopts them
 * @param driver the hypervisor behind the stages: {@code simulated} (default) or {@code qemu} (FERRY_AGENT_DRIVER)
 * @param qemu the QEMU driver's settings (FERRY_AGENT_QEMU_*)
 * @param hostKey this host's key (FERRY_AGENT_HOST_KEY): base64 of HMAC-SHA256(orchestrator's data-token secret,
 *     "ferry-host-key:" + host); opens the data-channel token sealed in this host's setup commands. Without it every
 *     migration to or from this host fails its setup, saying so.
 */
@ConfigurationProperties("ferry.agent")
public record AgentProperties(
        String host,
        @DefaultValue("127.0.0.1") String bindHost,
        @DefaultValue("0") int dataPort,
        @DefaultValue("127.0.0.1") String advertisedHost,
        Path storageDir,
        Path switchDir,
        @DefaultValue("16384") long totalMemoryMb,
        @DefaultValue({"sse4_2", "avx", "avx2"}) List<String> cpuFeatures,
        @DefaultValue("0.6") double utilisation,
        String workload,
        Long writesPerSecond,
        @DefaultValue("random:0.7,text:0.2,zero:0.1") String contentMix,
        Path memoryDir,
        Path runDir,
        @DefaultValue("true") boolean keepGuests,
        @DefaultValue("2s") Duration heartbeatInterval,
        @DefaultValue({}) List<String> vms,
        @DefaultValue("simulated") String driver,
        @DefaultValue Qemu qemu,
        String hostKey) {

    public AgentProperties {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("ferry.agent.host (FERRY_AGENT_HOST) is required: the name of this host, e.g. hv-01");
        }
        if (workload == null || workload.isBlank()) {
            workload = writesPerSecond == null ? DEFAULT_WORKLOAD : GuestWorkload.uniform(writesPerSecond).toString();
        }
        GuestWorkload.parse(workload); // a bad spec fails at start, naming itself and the accepted forms
        ContentMix.parse(contentMix);
        if (storageDir == null) {
            storageDir = Path.of(System.getProperty("java.io.tmpdir"), "ferry", "storage");
        }
        if (runDir == null) {
            // /dev/shm only when it can hold this host's memory (a container's is often 64 MB), as for unkept memory
            // (not on hugetlbfs, which holds the pages only: the descriptions then go to the default place)
            Path base = memoryDir != null && !io.ferry.hypervisor.simulated.GuestMemory.onHugePages(memoryDir) ? memoryDir
                    : io.ferry.hypervisor.simulated.GuestMemory.defaultDirectory(totalMemoryMb * 1024 * 1024);
            runDir = base.resolve("ferry-" + host.strip());
        }
        if (switchDir == null) {
            switchDir = Path.of(System.getProperty("java.io.tmpdir"), "ferry", "switch");
        }
        driver = driver == null || driver.isBlank() ? SIMULATED : driver.strip().toLowerCase(java.util.Locale.ROOT);
        if (!driver.equals(SIMULATED) && !driver.equals(QEMU)) {
            throw new IllegalArgumentException("ferry.agent.driver (FERRY_AGENT_DRIVER) must be simulated or qemu, got '"
                    + driver + "'");
        }
        if (hostKey != null && !hostKey.isBlank()) {
            io.ferry.schema.DataTokenSeal.parseHostKey(hostKey); // a malformed key fails at start, naming the property
        }
        if (qemu == null) {
            qemu = new Qemu(null, null, null, null, null, null, 64, 64, null, null, false);
        }
    }

    public static final String SIMULATED = "simulated";
    public static final String QEMU = "qemu";

    /**
     * The QEMU driver's settings; each also from the environment, e.g. FERRY_AGENT_QEMU_DIRTY_MB.
     *
     * @param binary the emulator (default qemu-system-x86_64 on the PATH)
     * @param guestDir where the guest image (vmlinuz, initrd.gz) is, built there when missing; default
     *     ~/.cache/ferry/qemu-guest-HASH (HASH of the build script and init, so a changed script rebuilds)
     * @param kernel, initrd to boot instead of the built image's
     * @param machine, accel QEMU's -M and -accel (default pc and tcg: KVM is not required, nor used unless asked for)
     * @param dirtyMb how many MiB of its memory each guest rewrites in a loop (0: idle)
     * @param diskMb size of the qcow2 disk created for a guest that has none yet
     * @param diskCache QEMU's cache mode for the disk; none (O_DIRECT) suits shared storage, writeback a tmpfs
     * @param runDir QMP sockets, serial consoles, pid files, QEMU's logs and a description per kept guest
     *     ({@code VM.guest}; default java.io.tmpdir/ferry-qemu/HOST)
     * @param tls TLS with the migration's one-time token as pre-shared key on QEMU's stream (default off: see README)
     */
    public record Qemu(String binary, Path guestDir, Path kernel, Path initrd, String machine, String accel,
            @DefaultValue("64") int dirtyMb, @DefaultValue("64") int diskMb, String diskCache, Path runDir,
            @DefaultValue("false") boolean tls) {
        public Qemu {
            binary = binary == null || binary.isBlank() ? "qemu-system-x86_64" : binary;
            machine = machine == null || machine.isBlank() ? "pc" : machine;
            accel = accel == null || accel.isBlank() ? "tcg" : accel;
            diskCache = diskCache == null || diskCache.isBlank() ? "none" : diskCache;
            if (dirtyMb < 0 || diskMb < 1) {
                throw new IllegalArgumentException("ferry.agent.qemu.dirty-mb must be 0 or more and disk-mb 1 or more");
            }
        }
    }

    public static final String DEFAULT_WORKLOAD = "uniform:2000";

    public String commandTopic() {
        return io.ferry.schema.Topics.commandsFor(host);
    }
}
