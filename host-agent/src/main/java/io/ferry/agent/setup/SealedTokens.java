package io.ferry.agent.setup;

import io.ferry.agent.AgentProperties;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.DataTokenSeal;
import io.ferry.schema.agent.StageCommand;
import io.ferry.schema.common.FailureReason;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Opens the data-channel token a setup command carries sealed under this host's key. The token is bound to this host,
 * the migration and the action, so a copy read off the topic, or sealed for another host, does not open here.
 */
@Component
public class SealedTokens {
    private static final Logger log = LoggerFactory.getLogger(SealedTokens.class);
    private static final String PROPERTY = DataTokenSeal.HOST_KEY_PROPERTY + " (" + DataTokenSeal.HOST_KEY_ENV + ")";
    private final String host;
    /** Null when not configured: then every setup command fails, naming the property. */
    private final byte[] key;

    public SealedTokens(AgentProperties properties) {
        this.host = properties.host();
        String text = properties.hostKey();
        this.key = text == null || text.isBlank() ? null : DataTokenSeal.parseHostKey(text);
        if (key == null) {
            log.warn("{} is not set: this agent cannot open the data-channel tokens of its migrations, so every "
                    + "migration to or from {} will fail its setup. Give it the key derived for {} from the "
                    + "orchestrator's data-token secret.", PROPERTY, host, host);
        }
    }

    /** The token in clear, or null when the command carries none (the driver then refuses the data channel). */
    public String open(StageCommand command) {
        ByteBuffer sealed = command.getSealedDataToken();
        if (sealed == null) {
            return null;
        }
        if (key == null) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, command.getAction() + " for migration "
                    + command.getMigrationId() + " carries its data-channel token sealed for " + host + ", but this "
                    + "agent has no host key: set " + PROPERTY + " to the key derived for " + host
                    + " from the orchestrator's data-token secret");
        }
        byte[] bytes = new byte[sealed.remaining()];
        sealed.duplicate().get(bytes);
        try {
            return DataTokenSeal.open(key, new DataTokenSeal.Binding(command.getMigrationId(), host,
                    command.getAction().name()), bytes);
        } catch (DataTokenSeal.UnsealException e) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, command.getAction() + " for migration "
                    + command.getMigrationId() + ": " + e.getMessage() + "; check " + PROPERTY + " on " + host, e);
        }
    }
}
