package io.ferry.cli.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TheCredentialsFileIsReadableByItsOwnerOnlyTest {

    @TempDir
    Path dir;

    @Test
    void written_with_mode_600_and_read_back_whole() throws Exception {
        // given development credentials
        CredentialsFile written = new CredentialsFile("http://127.0.0.1:8080", "ops", "Ab3-_x", "viewer", "Zz9_-q");
        Path file = dir.resolve(".ferry/up/credentials.properties");

        // when up writes them twice (a later run replaces the file)
        written.write(file);
        written.write(file);

        // then only the owner may read or write the file, and it reads back the same
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(CredentialsFile.read(file)).contains(written);
        assertThat(Files.readString(file)).contains("url=http://127.0.0.1:8080").contains("operator.user=ops");
        assertThat(written.toString()).doesNotContain("Ab3-_x");
    }
}
