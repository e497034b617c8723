package io.ferry.orchestrator.inventory;

import io.ferry.schema.agent.HostHeartbeat;
import io.ferry.schema.agent.VmStatus;
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

    public Inventory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record HostRow(String host, String driver, long totalMemoryMb, long freeMemoryMb, List<String> cpuFeatures,
            Instant lastHeartbeatAt) {}

    public record VmRow(String host, String vmId, int memoryMb, int vcpus, String macAddress, String diskPath, String state,
            Long storageEpoch) {}

    @Transactional
    public void record(HostHeartbeat beat) {
        jdbc.update("""
                insert into hosts (host, driver, total_memory_mb, free_memory_mb, cpu_features, last_heartbeat_at, received_at,
                    data_host)
                values (?, ?, ?, ?, ?, ?, now(), ?)
                on conflict (host) do update set driver = excluded.driver, total_memory_mb = excluded.total_memory_mb,
                    data_host = excluded.data_host,
                    free_memory_mb = excluded.free_memory_mb, cpu_features = excluded.cpu_features,
                    received_at = now(),
                    last_heartbeat_at = greatest(hosts.last_heartbeat_at, excluded.last_heartbeat_at)""",
                beat.getHost(), beat.getDriver(), beat.getTotalMemoryMb(), beat.getFreeMemoryMb(),
                beat.getCpuFeatures().toArray(String[]::new), Timestamp.from(beat.getSentAt()), beat.getDataHost());
        jdbc.update("delete from host_vms where host = ?", beat.getHost());
        for (VmStatus vm : beat.getVms()) {
            jdbc.update("""
                    insert into host_vms (host, vm_id, vcpus, mac_address, disk_path, memory_mb, state, storage_epoch, seen_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", beat.getHost(), vm.getVmId(), vm.getVcpus(), vm.getMacAddress(),
                    vm.getDiskPath(), vm.getMemoryMb(), vm.getState(), vm.getStorageEpoch(), Timestamp.from(beat.getSentAt()));
        }
    }

    private static final String HOSTS = "select host, driver, total_memory_mb, free_memory_mb, cpu_features, "
            + "last_heartbeat_at from hosts ";
    private static final String VMS = "select host, vm_id, memory_mb, vcpus, mac_address, disk_path, state, storage_epoch "
            + "from host_vms ";

    public List<HostRow> hosts() {
        return jdbc.query(HOSTS + "order by host", Inventory::host);
    }

    public Optional<HostRow> host(String host) {
        return jdbc.query(HOSTS + "where host = ?", Inventory::host, host).stream().findFirst();
    }

    /** The address the host's data channel connects from, as its last heartbeat said; empty when unknown. */
    public Optional<String> dataHost(String host) {
        return jdbc.queryForList("select data_host from hosts where host = ? and data_host is not null", String.class, host)
                .stream().findFirst();
    }

    public List<VmRow> vms() {
        return jdbc.query(VMS + "order by vm_id, host", Inventory::vm);
    }

    /** Where the VM runs: the host that reports it running or paused (a skeleton elsewhere does not count). */
    public Optional<VmRow> runningVm(String vmId) {
        return jdbc.query(VMS + "where vm_id = ? and state <> 'SKELETON'", Inventory::vm, vmId).stream().findFirst();
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
                List.of((String[]) rs.getArray(5).getArray()), rs.getTimestamp(6).toInstant());
    }

    private static VmRow vm(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new VmRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5), rs.getString(6),
                rs.getString(7), (Long) rs.getObject(8));
    }
}
