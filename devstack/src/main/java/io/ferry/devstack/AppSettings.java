package io.ferry.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Spring properties an orchestrator or a host agent is started with, written once for whoever starts them
 * ({@code ferry demo}/{@code up}, the in-process tests, the system tests): in order, some marked secret, rendered as
 * command-line arguments ({@link #asArgs()}) or environment variables ({@link #asEnv()}). Whoever must keep secrets
 * off the command line (any local user can read it) passes {@link #withoutSecrets()} as arguments and
 * {@link #secrets()} as the environment.
 */
public final class AppSettings {
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Set<String> secret = new LinkedHashSet<>();

    private AppSettings() {}

    /**
     * An orchestrator against {@code db} and the broker at {@code kafkaBootstrap}, on port 0 (see {@code ferry.port-file}).
     *
     * @param dataTokenSecret what it derives the data-channel tokens and the agents' host keys from
     * @param users {@code ferry.orchestrator.users}, e.g. from {@link #users}
     */
    public static AppSettings orchestrator(DatabaseHandle db, String kafkaBootstrap, String dataTokenSecret, String users) {
        return new AppSettings()
                .with("spring.datasource.url", db.jdbcUrl())
                .with("spring.datasource.username", db.username())
                .secret("spring.datasource.password", db.password() == null ? "" : db.password())
                .with("spring.kafka.bootstrap-servers", kafkaBootstrap)
                .with("server.port", "0")
                .secret("ferry.orchestrator.data-token-secret", dataTokenSecret)
                .secret("ferry.orchestrator.users", users);
    }

    /**
     * The host agent of {@code host} on the broker at {@code kafkaBootstrap}, on port 0, with no guests and idle ones
     * until {@code ferry.agent.vms} and {@code ferry.agent.workload} say otherwise.
     *
     * @param shared the directory every agent of the stack shares (the storage leases and the switch table)
     * @param runDir its own run directory (kept guests: an agent started again re-adopts them)
     * @param hostKey its host key as {@code DataTokenSeal.hostKeyText} derives it from the orchestrator's secret
     */
    public static AppSettings agent(String host, String kafkaBootstrap, Path shared, Path runDir, String hostKey) {
        return new AppSettings()
                .with("spring.kafka.bootstrap-servers", kafkaBootstrap)
                .with("server.port", "0")
                .with("ferry.agent.host", host)
                .with("ferry.agent.storage-dir", shared.resolve("storage").toString())
                .with("ferry.agent.switch-dir", shared.resolve("switch").toString())
                .with("ferry.agent.run-dir", runDir.toString())
                .secret("ferry.agent.host-key", hostKey);
    }

    /** {@code ferry.orchestrator.users}: an operator and a viewer with their passwords. */
    public static String users(String operator, String operatorPassword, String viewer, String viewerPassword) {
        return operator + ":" + operatorPassword + ":OPERATOR," + viewer + ":" + viewerPassword + ":VIEWER";
    }

    /** Sets (or replaces, keeping its place) a property. */
    public AppSettings with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Sets (or replaces) every property of {@code more}, in its order. */
    public AppSettings with(Map<String, String> more) {
        more.forEach(this::with);
        return this;
    }

    /** Sets a property that stays off the command line when started with {@link #withoutSecrets()}. */
    public AppSettings secret(String key, String value) {
        secret.add(key);
        return with(key, value);
    }

    /** Drops a property, e.g. one the starter passes otherwise. */
    public AppSettings without(String key) {
        properties.remove(key);
        secret.remove(key);
        return this;
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(properties);
    }

    /** Every property as {@code --key=value}: command-line arguments outrank application.yml and the environment. */
    public List<String> asArgs() {
        List<String> args = new ArrayList<>();
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        return args;
    }

    /** Every property as an environment variable: {@code ferry.agent.host-key} as {@code FERRY_AGENT_HOST_KEY}. */
    public Map<String, String> asEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        properties.forEach((key, value) -> env.put(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        return env;
    }

    /** The secret properties only. */
    public AppSettings secrets() {
        return part(true);
    }

    /** All but the secret properties. */
    public AppSettings withoutSecrets() {
        return part(false);
    }

    private AppSettings part(boolean secrets) {
        AppSettings part = new AppSettings();
        properties.forEach((key, value) -> {
            if (secret.contains(key) == secrets) {
                part.with(key, value);
                if (secrets) {
                    part.secret.add(key);
                }
            }
        });
        return part;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(properties);
        secret.forEach(key -> shown.replace(key, "****"));
        return shown.toString();
    }
}
