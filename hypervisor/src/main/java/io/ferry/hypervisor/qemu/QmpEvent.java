package io.ferry.hypervisor.qemu;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * An asynchronous QMP event, e.g. STOP, RESUME, MIGRATION {"status": "pre-switchover"} or MIGRATION_PASS {"pass": 2}.
 *
 * @param at when QEMU emitted it (its own timestamp), so a pause is dated by QEMU, not by when the agent read it
 * @param data the event's data, an empty object when it has none
 */
public record QmpEvent(String name, JsonNode data, Instant at) {

    public boolean is(String eventName) {
        return name.equals(eventName);
    }
}
