package io.ferry.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Every REST call carries its password (stateless Basic): a matched password is remembered for a few minutes, so a
 * polling client costs one bcrypt check per few minutes, not one per call; wrong passwords are always checked.
 */
class APasswordIsCheckedOncePerFewMinutesNotOnEveryCallTest {
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final PasswordEncoder counted = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            return bcrypt.matches(raw, encoded);
        }
    };
    private final RememberedPasswords passwords = new RememberedPasswords(counted, now::get);
    private final String stored = bcrypt.encode("s3cret");

    @Test
    void the_right_password_is_hashed_once_and_then_remembered_until_the_memory_lapses() {
        // given a password checked once
        assertThat(passwords.matches("s3cret", stored)).isTrue();

        // when the same password comes again within the memory's span
        now.addAndGet(RememberedPasswords.REMEMBER.toNanos() - 1);
        boolean again = passwords.matches("s3cret", stored);

        // then it matches without hashing again, and after the span it is hashed once more
        assertThat(again).isTrue();
        assertThat(checks).hasValue(1);
        now.addAndGet(2);
        assertThat(passwords.matches("s3cret", stored)).isTrue();
        assertThat(checks).hasValue(2);
    }

    @Test
    void a_wrong_password_is_hashed_every_time_and_never_matches() {
        // given the right password remembered
        passwords.matches("s3cret", stored);

        // when wrong ones come, again and again
        boolean first = passwords.matches("guess", stored);
        boolean second = passwords.matches("guess", stored);

        // then each was checked and refused
        assertThat(first).isFalse();
        assertThat(second).isFalse();
        assertThat(checks).hasValue(3);
    }

    @Test
    void a_remembered_password_does_not_match_another_stored_hash() {
        // given a password remembered against one stored hash
        passwords.matches("s3cret", stored);

        // when the configuration holds another hash (another user's, or the password changed)
        boolean other = passwords.matches("s3cret", bcrypt.encode("different"));

        // then that hash is checked for real, and refuses it
        assertThat(other).isFalse();
        assertThat(checks).hasValue(2);
    }

    @Test
    void the_user_store_cannot_rewrite_a_configured_password() {
        // given the users as configured, one with a plain password
        UserDetailsService users = new SecurityConfiguration().users("ops:plain:OPERATOR");

        // then Spring Security finds no way to re-encode it with bcrypt after a login (which made every call pay for
        // a bcrypt check), and the encoder never asks for it
        assertThat(users).isNotInstanceOf(UserDetailsPasswordService.class);
        assertThat(users.loadUserByUsername("ops").getPassword()).isEqualTo("{noop}plain");
        assertThat(new SecurityConfiguration().passwordEncoder().upgradeEncoding("{noop}plain")).isFalse();
    }
}
