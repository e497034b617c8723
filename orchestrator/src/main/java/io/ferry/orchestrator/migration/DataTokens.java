package io.ferry.orchestrator.migration;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import io.ferry.schema.DataTokenSeal;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The one-time secret of each migration's data channel: HMAC-SHA256 of the migration id under the orchestrator's
 * secret. Derived, so it survives an orchestrator restart without ever being written to the event log; it travels
 * only inside the PREPARE_DESTINATION and CONNECT_SOURCE commands, sealed under the target host's key (itself derived
 * from the same secret, see {@link DataTokenSeal}), so a reader of the commands topic cannot learn it.
 */
@Component
class DataTokens {
    private static final Logger log = LoggerFactory.getLogger(DataTokens.class);
    private final SecretKeySpec key;
    private final byte[] material;

    DataTokens(@Value("${ferry.orchestrator.data-token-secret:}") String secret) {
        byte[] material;
        if (secret == null || secret.isBlank()) {
            material = new byte[32];
            new SecureRandom().nextBytes(material);
            log.warn("ferry.orchestrator.data-token-secret (FERRY_ORCHESTRATOR_DATA_TOKEN_SECRET) is not set: using a "
                    + "random one, so no agent holds the host key it derives (ferry.agent.host-key) and every migration "
                    + "will fail its data channel. Set it, share it between orchestrator instances, and give each agent "
                    + "its host key.");
        } else {
            material = secret.getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(material, "HmacSHA256");
        this.material = material;
    }

    /** The migration's token, sealed so only {@code host}'s agent can open it, and only for this action. */
    ByteBuffer sealedFor(String migrationId, String host, String action) {
        byte[] hostKey = DataTokenSeal.hostKey(material, host);
        return ByteBuffer.wrap(DataTokenSeal.seal(hostKey, new DataTokenSeal.Binding(migrationId, host, action),
                forMigration(migrationId)));
    }

    String forMigration(String migrationId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(migrationId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }
}
