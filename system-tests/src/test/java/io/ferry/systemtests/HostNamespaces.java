package io.ferry.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Each host in a network namespace of its own, joined by a veth pair to one bridge in the root namespace:
 * {@code 10.213.0.1} is the bridge (the broker listens there), the hosts are {@code 10.213.0.11}, {@code .12}, ...
 * The hosts reach each other (the data channel) and the bridge; {@link #cut()} isolates their bridge ports from one
 * another (the bridge's port isolation), so the hosts no longer reach each other while both still reach the broker.
 * Names start with {@code fsoak}; whatever a killed run left is deleted before anything is created.
 */
final class HostNamespaces implements AutoCloseable {
    static final String BRIDGE = "fsoak0";
    static final String BRIDGE_ADDRESS = "10.213.0.1";
    private static final String PREFIX = "fsoak-";
    private final Map<String, Integer> hosts = new LinkedHashMap<>();
    private boolean cut;

    private HostNamespaces() {}

    /** Why namespaces cannot be made here (not root, no ip netns), or empty when they can. */
    static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Optional.of("network namespaces need Linux");
        }
        try {
            Result uid = run(List.of("id", "-u"));
            if (!uid.out().strip().equals("0")) {
                return Optional.of("network namespaces need root (ip netns add), this runs as uid " + uid.out().strip());
            }
            Result netns = run(List.of("ip", "netns", "list"));
            if (netns.code() != 0) {
                return Optional.of("ip netns does not work here: " + netns.out().strip());
            }
            Result bridge = run(List.of("bridge", "-V"));
            if (bridge.code() != 0) {
                return Optional.of("the bridge command (iproute2) is missing: " + bridge.out().strip());
            }
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Creates the bridge and a namespace per host (after removing leftovers of an earlier run). */
    static HostNamespaces create(List<String> hostNames) {
        removeLeftovers();
        HostNamespaces namespaces = new HostNamespaces();
        try {
            must(List.of("ip", "link", "add", BRIDGE, "type", "bridge"));
            must(List.of("ip", "addr", "add", BRIDGE_ADDRESS + "/24", "dev", BRIDGE));
            must(List.of("ip", "link", "set", BRIDGE, "up"));
            int n = 11;
            for (String host : hostNames) {
                namespaces.hosts.put(host, n);
                String ns = namespace(host);
                must(List.of("ip", "netns", "add", ns));
                must(List.of("ip", "link", "add", rootEnd(host), "type", "veth", "peer", "name", hostEnd(host)));
                must(List.of("ip", "link", "set", hostEnd(host), "netns", ns));
                must(List.of("ip", "link", "set", rootEnd(host), "master", BRIDGE));
                must(List.of("ip", "link", "set", rootEnd(host), "up"));
                must(List.of("ip", "netns", "exec", ns, "ip", "addr", "add", "10.213.0." + n + "/24", "dev", hostEnd(host)));
                must(List.of("ip", "netns", "exec", ns, "ip", "link", "set", hostEnd(host), "up"));
                must(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
                n++;
            }
            return namespaces;
        } catch (RuntimeException e) {
            namespaces.close();
            throw e;
        }
    }

    /** The command a process of {@code host} is started under. */
    List<String> exec(String host) {
        requireHost(host);
        return List.of("ip", "netns", "exec", namespace(host));
    }

    String address(String host) {
        return "10.213.0." + requireHost(host);
    }

    /** The hosts no longer reach each other; each still reaches the bridge (the broker). */
    synchronized void cut() {
        for (String host : hosts.keySet()) {
            must(List.of("bridge", "link", "set", "dev", rootEnd(host), "isolated", "on"));
        }
        cut = true;
    }

    synchronized void heal() {
        for (String host : hosts.keySet()) {
            must(List.of("bridge", "link", "set", "dev", rootEnd(host), "isolated", "off"));
        }
        cut = false;
    }

    synchronized boolean isCut() {
        return cut;
    }

    @Override
    public void close() {
        removeLeftovers();
    }

    private int requireHost(String host) {
        Integer n = hosts.get(host);
        if (n == null) {
            throw new IllegalArgumentException("no namespace for host " + host + "; hosts: " + hosts.keySet());
        }
        return n;
    }

    private static String namespace(String host) {
        return PREFIX + host;
    }

    // interface names have at most 15 characters: fsv-hv-01 / fsn-hv-01
    private static String rootEnd(String host) {
        return "fsv-" + host;
    }

    private static String hostEnd(String host) {
        return "fsn-" + host;
    }

    /** Deletes every fsoak namespace, the bridge and the root ends of the veth pairs (a namespace takes its end along). */
    private static void removeLeftovers() {
        for (String line : run(List.of("ip", "netns", "list")).out().split("\n")) {
            String ns = line.strip().split("\\s+")[0];
            if (ns.startsWith(PREFIX)) {
                run(List.of("ip", "netns", "del", ns));
            }
        }
        for (String line : run(List.of("ip", "-o", "link", "show")).out().split("\n")) {
            String[] fields = line.split(":\\s+");
            if (fields.length > 1) {
                String name = fields[1].split("@")[0];
                if (name.equals(BRIDGE) || name.startsWith("fsv-")) {
                    run(List.of("ip", "link", "del", name));
                }
            }
        }
    }

    record Result(int code, String out) {}

    private static void must(List<String> command) {
        Result result = run(command);
        if (result.code() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.code() + "): "
                    + result.out().strip());
        }
    }

    static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
            }
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
