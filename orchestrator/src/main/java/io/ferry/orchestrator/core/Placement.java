package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.Ids.HostId;
import java.util.List;
import java.util.Objects;

/**
 * How ferry chose a destination the request left out: the host, why it won, and every host it ruled out with the
 * check that ruled it out. Kept in the migration's first event, so the audit trail answers "why there?".
 */
public record Placement(HostId chosen, String why, List<RuledOut> ruledOut) {
    public Placement {
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(why, "why");
        ruledOut = List.copyOf(ruledOut);
    }

    /** A host that failed a pre-check, and which one, in words an operator can act on. */
    public record RuledOut(HostId host, String reason) {}
}
