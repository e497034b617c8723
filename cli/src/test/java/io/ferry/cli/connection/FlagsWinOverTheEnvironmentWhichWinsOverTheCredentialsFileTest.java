package io.ferry.cli.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.connection.ConnectionResolver.Flags;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagsWinOverTheEnvironmentWhichWinsOverTheCredentialsFileTest {
    private static final Flags NONE = new Flags(null, null, null, false);

    @TempDir
    Path home;
    Path file;

    @BeforeEach
    void upWroteItsCredentials() throws Exception {
        // given ./ferry up wrote its development credentials under FERRY_HOME
        file = CredentialsFile.location(Map.of("FERRY_HOME", home.toString()));
        new CredentialsFile("http://127.0.0.1:8080", "ops", "op-pw", "viewer", "view-pw").write(file);
    }

    @Test
    void with_nothing_given_the_file_s_url_and_operator_are_used() {
        // when nothing is given
        Connection c = ConnectionResolver.resolve(NONE, Map.of(), file);

        // then the CLI talks to up's stack as its operator
        assertThat(c.url()).isEqualTo("http://127.0.0.1:8080");
        assertThat(c.user()).isEqualTo("ops");
        assertThat(c.password()).isEqualTo("op-pw");
        assertThat(file).isEqualTo(home.resolve(".ferry/up/credentials.properties"));
    }

    @Test
    void viewer_picks_the_file_s_viewer() {
        // when --viewer is given
        Connection c = ConnectionResolver.resolve(new Flags(null, null, null, true), Map.of(), file);

        // then the read-only user is used
        assertThat(c.user()).isEqualTo("viewer");
        assertThat(c.password()).isEqualTo("view-pw");
    }

    @Test
    void the_environment_wins_over_the_file() {
        // when FERRY_USER and FERRY_PASSWORD are set
        Connection c = ConnectionResolver.resolve(NONE, Map.of("FERRY_USER", "alice", "FERRY_PASSWORD", "a-pw"), file);

        // then they are used, at the file's URL
        assertThat(c.user()).isEqualTo("alice");
        assertThat(c.password()).isEqualTo("a-pw");
        assertThat(c.url()).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void flags_win_over_the_environment() {
        // when both flags and environment give url and credentials
        Map<String, String> env = Map.of("FERRY_URL", "http://env:1", "FERRY_USER", "alice", "FERRY_PASSWORD", "a-pw");
        Connection c = ConnectionResolver.resolve(new Flags("http://flag:2/", "bob", "b-pw", false), env, file);

        // then the flags are used (without a trailing slash)
        assertThat(c.url()).isEqualTo("http://flag:2");
        assertThat(c.user()).isEqualTo("bob");
        assertThat(c.password()).isEqualTo("b-pw");
    }

    @Test
    void the_file_s_passwords_never_go_to_another_server() {
        // when only another URL is given
        Connection c = ConnectionResolver.resolve(new Flags("https://ferry.prod:8443", null, null, false), Map.of(), file);

        // then no credentials are sent there
        assertThat(c.url()).isEqualTo("https://ferry.prod:8443");
        assertThat(c.hasCredentials()).isFalse();
    }

    @Test
    void a_user_of_the_file_named_without_password_takes_its_password_from_the_file() {
        // when only the user is named, as the viewer of the file
        Connection c = ConnectionResolver.resolve(new Flags(null, "viewer", null, false), Map.of(), file);

        // then the file supplies that user's password
        assertThat(c.password()).isEqualTo("view-pw");
    }

    @Test
    void without_any_source_the_default_url_and_no_credentials() {
        // when there is no file, no flag and no environment
        Connection c = ConnectionResolver.resolve(NONE, Map.of(), home.resolve("missing.properties"));

        // then the default URL is used, anonymously
        assertThat(c.url()).isEqualTo(Connection.DEFAULT_URL);
        assertThat(c.hasCredentials()).isFalse();
        assertThat(c.authorization()).isNull();
    }
}
