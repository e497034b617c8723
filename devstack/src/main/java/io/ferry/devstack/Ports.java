package io.ferry.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import org.slf4j.LoggerFactory;

/** Small TCP helpers shared by the Kafka and PostgreSQL launchers. */
public final class Ports {

    private Ports() {
    }

    /** How many ports {@link #startOnFreePort} tries before it gives up. */
    static final int BIND_ATTEMPTS = 5;

    /**
     * A TCP port on 127.0.0.1 that was free a moment ago. The socket is closed before returning, so another process
     * can take it before the caller binds it: start servers with {@link #startOnFreePort}, which picks again then,
     * or let them bind port 0 themselves.
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

    /**
     * Starts a server on a port {@code pick} chooses, choosing again (up to {@link #BIND_ATTEMPTS} ports) when the
     * start failed because something else took the port between the choice and the bind.
     *
     * @param what the server, for messages, e.g. "Kafka"
     * @param start starts the server on the port it is given; a bind failure is a {@link DevstackException}
     */
    static <T> T startOnFreePort(String what, IntSupplier pick, IntFunction<T> start) {
        DevstackException last = null;
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            int port = pick.getAsInt();
            try {
                return start.apply(port);
            } catch (DevstackException e) {
                if (!lostThePort(e, port)) {
                    throw e;
                }
                last = e;
                LoggerFactory.getLogger(Ports.class).warn("{} could not bind port {}, taken since it was picked (attempt "
                        + "{} of {}); picking another: {}", what, port, attempt, BIND_ATTEMPTS, e.getMessage());
            }
        }
        throw new DevstackException(what + " could not bind any of " + BIND_ATTEMPTS + " free ports picked one after "
                + "another (each was taken before it bound it; is something grabbing ports on 127.0.0.1?): "
                + last.getMessage(), last);
    }

    /** Whether a failed start failed on its port: a bind error in its causes, or the port now held by another. */
    static boolean lostThePort(Throwable failure, int port) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("ddress already in use"))) {
                return true;
            }
        }
        return !isFree(port);
    }
}
