package io.ferry.schema;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The data-channel token as it travels in a stage command: sealed with AES-256-GCM under the recipient host's key, so
 * anyone else who reads {@code ferry.agent-commands.<host>} learns nothing from it. The migration id, the host and the
 * command's action are the associated data: a sealed token opens only for the host, migration and action it was
 * sealed for. Each host's key is derived from the orchestrator's secret ({@link #hostKey}), so the orchestrator keeps
 * no key table; each agent is given only its own.
 *
 * <p>Wire form: version byte 1, 12-byte random nonce, ciphertext with its 16-byte tag.
 */
public final class DataTokenSeal {
    /** The agent's property holding its host key, base64 of 32 bytes (environment: FERRY_AGENT_HOST_KEY). */
    public static final String HOST_KEY_PROPERTY = "ferry.agent.host-key";
    public static final String HOST_KEY_ENV = "FERRY_AGENT_HOST_KEY";
    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DataTokenSeal() {}

    /** What a sealed token is bound to: it opens only with the same three. */
    public record Binding(String migrationId, String host, String action) {
        byte[] associatedData() {
            try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF("ferry-data-token/1");
                out.writeUTF(migrationId);
                out.writeUTF(host);
                out.writeUTF(action);
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode the token's binding", e);
            }
        }
    }

    /** A sealed token that does not open: wrong key, another host, migration or action, or damaged bytes. */
    public static final class UnsealException extends RuntimeException {
        UnsealException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** hostKey = HMAC-SHA256(orchestrator secret, "ferry-host-key:" + host): 32 bytes. */
    public static byte[] hostKey(byte[] orchestratorSecret, String host) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(orchestratorSecret, "HmacSHA256"));
            return mac.doFinal(("ferry-host-key:" + host).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    /** The host key in the form {@link #HOST_KEY_PROPERTY} takes, from the orchestrator's secret as configured. */
    public static String hostKeyText(String orchestratorSecret, String host) {
        return Base64.getEncoder().encodeToString(hostKey(orchestratorSecret.getBytes(StandardCharsets.UTF_8), host));
    }

    /**
     * Reads the {@link #HOST_KEY_PROPERTY} value.
     *
     * @throws IllegalArgumentException naming the property when it is not base64 of 32 bytes
     */
    public static byte[] parseHostKey(String text) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            key = null;
        }
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException(HOST_KEY_PROPERTY + " (" + HOST_KEY_ENV + ") must be base64 of "
                    + KEY_BYTES + " bytes, as derived from the orchestrator's data-token secret for this host");
        }
        return key;
    }

    public static byte[] seal(byte[] hostKey, Binding binding, String token) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, hostKey, nonce, binding);
            byte[] sealed = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
            byte[] wire = new byte[1 + NONCE + sealed.length];
            wire[0] = VERSION;
            System.arraycopy(nonce, 0, wire, 1, NONCE);
            System.arraycopy(sealed, 0, wire, 1 + NONCE, sealed.length);
            return wire;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JVM", e);
        }
    }

    /** @throws UnsealException when the bytes were not sealed under this key for this binding */
    public static String open(byte[] hostKey, Binding binding, byte[] wire) {
        if (wire == null || wire.length < 1 + NONCE + TAG_BITS / 8 || wire[0] != VERSION) {
            throw new UnsealException("the sealed data-channel token is malformed (unknown version or too short)", null);
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, hostKey, Arrays.copyOfRange(wire, 1, 1 + NONCE), binding);
            return new String(cipher.doFinal(wire, 1 + NONCE, wire.length - 1 - NONCE), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnsealException("the sealed data-channel token does not open with this host's key for migration "
                    + binding.migrationId() + ", host " + binding.host() + " and " + binding.action()
                    + ": the key is not the one derived for this host from the orchestrator's secret, or the token "
                    + "was sealed for another host, migration or action", e);
        } catch (GeneralSecurityException e) {
            throw new UnsealException("cannot open the sealed data-channel token: " + e.getMessage(), e);
        }
    }

    private static Cipher cipher(int mode, byte[] hostKey, byte[] nonce, Binding binding) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(hostKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(binding.associatedData());
        return cipher;
    }
}
