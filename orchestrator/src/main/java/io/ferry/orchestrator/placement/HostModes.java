package io.ferry.orchestrator.placement;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

/** Which hosts take VMs, as the drains left them (table host_modes, written by the drains' read model). */
@Repository
public class HostModes {
    private final JdbcTemplate jdbc;

    HostModes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A host without a row is ACTIVE. */
    public HostMode of(String host) {
        return jdbc.queryForList("select mode from host_modes where host = ?", String.class, host).stream()
                .findFirst().map(HostMode::valueOf).orElse(HostMode.ACTIVE);
    }

    /** Every host not ACTIVE, with its mode. */
    public Map<String, HostMode> notActive() {
        Map<String, HostMode> modes = new HashMap<>();
        jdbc.query("select host, mode from host_modes where mode <> 'ACTIVE'",
                (RowCallbackHandler) rs -> modes.put(rs.getString(1), HostMode.valueOf(rs.getString(2))));
        return modes;
    }
}
