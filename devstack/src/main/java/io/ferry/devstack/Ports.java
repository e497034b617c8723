package io.ferry.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Small TCP helpers shared by the Kafka and PostgreSQL launchers. */
public final class Ports {

    private Ports() {
    }

    /**
     * A TCP port on 127.0.0.1 that was free a moment ago. The socket is closed before returning, so a
     * racing process could grab it; that window is tiny and the launchers report a clear error if it happens.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free TCP port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** True if something accepts TCP connections on host:port within the timeout. */
    public static boolean answers(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True if we can bind 127.0.0.1:port right now. Used to fail early with a useful message rather than
     * letting Kafka or postgres die deep inside their startup with a bare "Address already in use".
     */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
