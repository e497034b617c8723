package io.ferry.agent.commands;

import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import java.util.Set;

/** Carries out the actions of one stage on this host and reports each outcome. */
public interface StageHandler {
    Set<StageAction> actions();

    void handle(StageCommand command, Outcomes outcomes);
}
