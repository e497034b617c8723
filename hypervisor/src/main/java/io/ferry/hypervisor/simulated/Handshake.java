package io.ferry.hypervisor.simulated;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenge-response on the data channel: each side proves it holds the migration's one-time token with an HMAC over
 * both sides' fresh nonces, so the token itself never crosses the data network and a proof seen there is worthless
 * for any later connection. The role is part of the MAC, so the destination's proof cannot be replayed as a source's.
 */
final class Handshake {
    static final int NONCE = 32;
    static final int PROOF = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    enum Role { SOURCE, DESTINATION }

    private Handshake() {}

    static byte[] nonce() {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    static byte[] proof(byte[] token, Role role, String migrationId, byte[] sourceNonce, byte[] destinationNonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            mac.update(("ferry-data-channel/1 " + role + " ").getBytes(StandardCharsets.UTF_8));
            mac.update(migrationId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(sourceNonce);
            mac.update(destinationNonce);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    /** Constant-time comparison of a presented proof with the expected one. */
    static boolean matches(byte[] token, Role role, String migrationId, byte[] sourceNonce, byte[] destinationNonce,
            byte[] presented) {
        return MessageDigest.isEqual(proof(token, role, migrationId, sourceNonce, destinationNonce), presented);
    }

    static byte[] read(DataInputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
