package io.ferry.devstack;

import java.util.Map;

/**
 * A broker listener that requires SASL/PLAIN with one user, and the client settings that log in as that user.
 * For proving that ferry's apps take Kafka security settings; PLAIN without TLS sends the password in clear text,
 * so outside a test use SASL_SSL or SCRAM.
 */
public record SaslPlain(String user, String password) {
    public SaslPlain {
        if (user.contains("\"") || password.contains("\"")) {
            throw new IllegalArgumentException("SASL user and password must not contain quotes");
        }
    }

    String jaas() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** The broker side: the listener's login and its one user. */
    Map<String, Object> brokerProperties(String listener) {
        return Map.of(
                "sasl.enabled.mechanisms", "PLAIN",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "listener.name." + listener.toLowerCase() + ".plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                        + password + "\" user_" + user + "=\"" + password + "\";");
    }

    /** Kafka client properties that log in as this user. */
    public Map<String, Object> clientProperties() {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config", jaas());
    }

    @Override
    public String toString() {
        return "SaslPlain[" + user + "]"; // never the password
    }
}
