package io.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.devstack.KafkaClusters;
import io.ferry.devstack.KafkaHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** An agent's HTTP is for a local health check: loopback only, health only, no actuator index. */
class AnAgentsHttpServesOnlyHealthOnLoopbackTest {
    private static KafkaHandle kafka;
    private static ConfigurableApplicationContext agent;

    @BeforeAll
    static void startAgent() throws Exception {
        kafka = KafkaClusters.forTests();
        var shared = Files.createTempDirectory("ferry-agent-http");
        agent = new SpringApplicationBuilder(HostAgentApplication.class).run(
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--server.port=0",
                "--ferry.agent.host=hv-http", "--ferry.agent.storage-dir=" + shared.resolve("storage"),
                "--ferry.agent.switch-dir=" + shared.resolve("switch"),
                // not the default /dev/shm/ferry-hv-http, which outlived the test
                "--ferry.agent.memory-dir=" + shared.resolve("memory"));
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void only_health_answers_and_only_on_loopback() throws Exception {
        // given an agent started with the defaults for its HTTP address and endpoints
        int port = Integer.parseInt(agent.getEnvironment().getProperty("local.server.port"));

        // when its actuator is asked on loopback
        int health = status(port, "/actuator/health");
        int index = status(port, "/actuator");
        int info = status(port, "/actuator/info");
        int env = status(port, "/actuator/env");

        // then health answers and nothing else of the actuator does
        assertThat(health).isEqualTo(200);
        assertThat(index).isEqualTo(404);
        assertThat(info).isEqualTo(404);
        assertThat(env).isEqualTo(404);

        // and the port is not open on the host's other addresses
        Optional<InetAddress> other = NetworkInterface.networkInterfaces().filter(nic -> !isLoopback(nic))
                .flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof java.net.Inet4Address).findFirst();
        if (other.isPresent()) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(other.get(), port), 2_000);
                }
            }).as("a connection to %s:%d", other.get(), port).isInstanceOf(java.io.IOException.class);
        }
    }

    private static boolean isLoopback(NetworkInterface nic) {
        try {
            return nic.isLoopback() || !nic.isUp();
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private static int status(int port, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
