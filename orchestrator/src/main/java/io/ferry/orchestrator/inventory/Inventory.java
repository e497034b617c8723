package io.ferry.orchestrator.inventory;

import io.ferry.schema.agent.HostHeartbeat;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Hosts and their VMs as the agents last reported them. */
@Repository
public class Inventory {
    private final JdbcTemplate jdbc;
    private final java.time.Duration livenessTimeout;

    public Inventory(JdbcTemplate jdbc, io.ferry.orchestrator.OrchestratorProperties properties) {
        this.jdbc = jdbc;
        this.livenessTimeout = properties.hostLivenessTimeout();
    }

    /**
     * @param status REACHABLE, or UNREACHABLE once no heartbeat came within the liveness timeout (database clock)
     * @param lastHeardAt when the orchestrator last received a heartbeat from it (database clock)
     */
    public record HostRow(String host, String driver, long totalMemoryMb, long freeMemoryMb, List<String> cpuFeatures,
            Instant lastHeartbeatAt, HostStatus status, Instant lastHeardAt) {}

    /** Whether a host's agent is heard from: an unreachable host's last report may no longer be true. */
    public enum HostStatus { REACHABLE, UNREACHABLE }

    /**
     * @param state what the host reported (RUNNING, PAUSED, SKELETON), or UNKNOWN while the host is unreachable: its
     *     agent is silent, so nobody can vouch that the VM still runs there
     * @param reportedState what the host last reported, even while it is unreachable
     */
    public record VmRow(String host, String vmId, int memoryMb, int vcpus, String macAddress, String diskPath, String state,
            Long storageEpoch, String reportedState, Instant lastHeardAt) {}

    /** The state shown for a VM whose host is unreachable. */
    public static final String UNKNOWN = "UNKNOWN";

    @Transactional
    public void record(HostHeartbeat beat) {
        jdbc.update("""
                insert into hosts (host, driver, total_memory_mb, free_memory_mb, cpu_features, last_heartbeat_at, received_at,
                    data_host, agent_started_at, incarnation_heard_at)
                values (?, ?, ?, ?, ?, ?, now(), ?, ?, now())
                on conflict (host) do update set driver = excluded.driver, total_memory_mb = excluded.total_memory_mb,
                    data_host = excluded.data_host,
                    free_memory_mb = excluded.free_memory_mb, cpu_features = excluded.cpu_features,
                    received_at = now(),
                    last_heartbeat_at = greatest(hosts.last_heartbeat_at, excluded.last_heartbeat_at),
                    incarnation_heard_at = case
                        when excluded.agent_started_at is not null
                         and excluded.agent_started_at > coalesce(hosts.agent_started_at, '-infinity')
                        then now() else hosts.incarnation_heard_at end,
                    agent_started_at = greatest(hosts.agent_started_at, excluded.agent_started_at)""",
                beat.getHost(), beat.getDriver(), beat.getTotalMemoryMb(), beat.getFreeMemoryMb(),
                beat.getCpuFeatures().toArray(String[]::new), Timestamp.from(beat.getSentAt()), beat.getDataHost(),
                beat.getAgentStartedAt() == null ? null : Timestamp.from(beat.getAgentStartedAt()));
        jdbc.update("delete from host_vms where host = ?", beat.getHost());
        // one batch (one round trip), not a statement per VM: a full host reports dozens every few seconds
        jdbc.batchUpdate("""
                insert into host_vms (host, vm_id, vcpus, mac_address, disk_path, memory_mb, state, storage_epoch, seen_at,
                    sample)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""", beat.getVms().stream().map(vm -> new Object[] {beat.getHost(),
                vm.getVmId(), vm.getVcpus(), vm.getMacAddress(), vm.getDiskPath(), vm.getMemoryMb(), vm.getState(),
                vm.getStorageEpoch(), Timestamp.from(beat.getSentAt()), GuestSamples.toJson(vm.getSample())}).toList());
    }

    // Liveness is judged on the database's clock, as the watchdog judges it: received_at is set by now() too.
    private static final String HOSTS = "select host, driver, total_memory_mb, free_memory_mb, cpu_features, "
            + "last_heartbeat_at, received_at >= now() - make_interval(secs => ?) as alive, received_at from hosts ";
    private static final String VMS = "select v.host, v.vm_id, v.memory_mb, v.vcpus, v.mac_address, v.disk_path, v.state, "
            + "v.storage_epoch, h.received_at >= now() - make_interval(secs => ?) as alive, h.received_at "
            + "from host_vms v join hosts h on h.host = v.host ";

    public List<HostRow> hosts() {
        return jdbc.query(HOSTS + "order by host", Inventory::host, seconds());
    }

    public Optional<HostRow> host(String host) {
        return jdbc.query(HOSTS + "where host = ?", Inventory::host, seconds(), host).stream().findFirst();
    }

    /** The address the host's data channel connects from, as its last heartbeat said; empty when unknown. */
    public Optional<String> dataHost(String host) {
        return jdbc.queryForList("select data_host from hosts where host = ? and data_host is not null", String.class, host)
                .stream().findFirst();
    }

    /** Every VM the hosts report; those on an unreachable host show {@link #UNKNOWN}, not what was last reported. */
    public List<VmRow> vms() {
        return jdbc.query(VMS + "order by v.vm_id, v.host", Inventory::vm, seconds());
    }

    /** Where the VM runs: the host that reports it running or paused (a skeleton elsewhere does not count). */
    public Optional<VmRow> runningVm(String vmId) {
        return jdbc.query(VMS + "where v.vm_id = ? and v.state <> 'SKELETON'", Inventory::vm, seconds(), vmId).stream()
                .findFirst();
    }

    /**
     * The latest sample of the guest where it runs, as its host's heartbeat carried it, with the host's driver; empty
     * when the VM runs nowhere ferry knows. The sample itself is empty until the host has taken one.
     */
    public Optional<Sampled> sample(String vmId) {
        return jdbc.query("""
                select v.host, h.driver, v.memory_mb, v.sample::text from host_vms v join hosts h on h.host = v.host
                where v.vm_id = ? and v.state <> 'SKELETON'""", (rs, i) -> new Sampled(rs.getString(1), rs.getString(2),
                rs.getInt(3), GuestSamples.fromJson(rs.getString(4))), vmId).stream().findFirst();
    }

    /** A guest where it runs: its host, the host's driver, its memory and its latest sample (empty until taken). */
    public record Sampled(String host, String driver, int memoryMb,
            Optional<io.ferry.hypervisor.estimate.GuestSample> sample) {}

    private double seconds() {
        return livenessTimeout.toMillis() / 1000.0;
    }

    /**
     * Hosts that sent no heartbeat within {@code timeout}, judged on the database's clock. Empty while no host at all
     * has been heard from within the timeout: then the heartbeat pipeline (broker, consumer) is down, not the hosts,
     * and failing migrations would be wrong.
     */
    public java.util.Set<String> unreachable(java.time.Duration timeout) {
        double seconds = timeout.toMillis() / 1000.0;
        return new java.util.TreeSet<>(jdbc.queryForList("""
                select host from hosts
                where received_at < now() - make_interval(secs => ?)
                  and exists (select 1 from hosts where received_at >= now() - make_interval(secs => ?))""",
                String.class, seconds, seconds));
    }

    /** Whether the host sent a heartbeat within {@code timeout} (database clock). */
    public boolean alive(String host, java.time.Duration timeout) {
        Boolean alive = jdbc.queryForObject("select exists (select 1 from hosts where host = ? and received_at >= now() "
                + "- make_interval(secs => ?))", Boolean.class, host, timeout.toMillis() / 1000.0);
        return Boolean.TRUE.equals(alive);
    }

    private static HostRow host(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new HostRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                List.of((String[]) rs.getArray(5).getArray()), rs.getTimestamp(6).toInstant(),
                rs.getBoolean(7) ? HostStatus.REACHABLE : HostStatus.UNREACHABLE, rs.getTimestamp(8).toInstant());
    }

    private static VmRow vm(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        String reported = rs.getString(7);
        return new VmRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5), rs.getString(6),
                rs.getBoolean(9) ? reported : UNKNOWN, (Long) rs.getObject(8), reported, rs.getTimestamp(10).toInstant());
    }
}
