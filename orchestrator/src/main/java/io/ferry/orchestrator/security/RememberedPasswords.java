package io.ferry.orchestrator.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks a password once per few minutes, not on every call. The API is stateless HTTP Basic, so every request (a CLI
 * watching, the web console polling) presents the password again; a bcrypt check costs ~70 ms of CPU here, and at
 * scale those checks took a third of the orchestrator's CPU, ahead of the decision loop. A password that matched is
 * remembered for {@link #REMEMBER} as an HMAC of the stored hash and the password under a key made at start, so the
 * memory holds neither the password nor a hash of it that can be attacked without that key. A wrong password is never
 * remembered; a changed stored hash is a different entry.
 */
final class RememberedPasswords implements PasswordEncoder {
    static final Duration REMEMBER = Duration.ofMinutes(5);
    /** More distinct (user, password) pairs than any deployment has; past it the memory starts afresh. */
    private static final int MOST = 1024;

    private final PasswordEncoder delegate;
    private final LongSupplier nanoTime;
    private final SecretKeySpec key;
    private final Map<String, Long> matchedUntil = new ConcurrentHashMap<>();

    RememberedPasswords(PasswordEncoder delegate, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.nanoTime = nanoTime;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return delegate.matches(rawPassword, encodedPassword);
        }
        String entry = entry(rawPassword, encodedPassword);
        long now = nanoTime.getAsLong();
        Long until = matchedUntil.get(entry);
        if (until != null && now - until < 0) {
            return true;
        }
        boolean matches = delegate.matches(rawPassword, encodedPassword);
        if (matches) {
            if (matchedUntil.size() >= MOST) {
                matchedUntil.clear();
            }
            matchedUntil.put(entry, now + REMEMBER.toNanos());
        } else if (until != null) {
            matchedUntil.remove(entry);
        }
        return matches;
    }

    /** Never: the stored hashes are the operator's configuration, not ours to rewrite. */
    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return false;
    }

    private String entry(CharSequence rawPassword, String encodedPassword) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(encodedPassword.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(rawPassword.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
