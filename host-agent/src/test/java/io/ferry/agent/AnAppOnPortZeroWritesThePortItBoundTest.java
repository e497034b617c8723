package io.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.devstack.Ports;
import io.ferry.support.PortFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Whoever starts an agent (ferry demo, the system tests) lets it bind port 0 and reads the port from the file it
 * writes, instead of picking a free port that another process may take first.
 */
class AnAppOnPortZeroWritesThePortItBoundTest {
    @TempDir
    Path dir;

    @Configuration(proxyBeanMethods = false)
    @Import(PortFile.class)
    static class WebServerOnly {
        @Bean
        TomcatServletWebServerFactory webServer() {
            return new TomcatServletWebServerFactory(0);
        }
    }

    @Test
    void the_port_file_names_the_port_the_server_listens_on() {
        // given a port file the starter will read
        Path portFile = dir.resolve("run").resolve("agent.port");

        // when the app starts on port 0
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(WebServerOnly.class)
                .web(WebApplicationType.SERVLET).run("--ferry.port-file=" + portFile)) {

            // then the file names the port it bound, and that port answers
            assertThat(portFile).exists();
            int port = Integer.parseInt(readQuietly(portFile));
            assertThat(port).isPositive();
            assertThat(Ports.answers("127.0.0.1", port, Duration.ofSeconds(5))).isTrue();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
