package io.ferry.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Writes the HTTP port this process bound to {@code ferry.port-file} (when set): whoever starts it with
 * {@code server.port=0} learns the port from the server itself, instead of picking a free port that another process
 * may take before this one binds it. Written whole (a temporary file moved into place), so a reader never sees half.
 * Each application {@code @Import}s it (they scan only their own packages).
 */
public class PortFile implements ApplicationListener<WebServerInitializedEvent> {
    private final String file;

    public PortFile(@Value("${ferry.port-file:}") String file) {
        this.file = file;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        // the main server only: a management server on a port of its own has a namespace
        if (file.isBlank() || event.getApplicationContext().getServerNamespace() != null) {
            return;
        }
        Path target = Path.of(file).toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
            Files.writeString(partial, Integer.toString(event.getWebServer().getPort()), StandardCharsets.US_ASCII);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTTP port to ferry.port-file " + target, e);
        }
    }
}
