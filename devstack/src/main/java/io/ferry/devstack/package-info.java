/**
 * Real infrastructure for the demo, {@code ./ferry up} and the integration tests; never mocks.
 *
 * <ul>
 *   <li>{@link io.ferry.devstack.KafkaNode}: an in-process single-node Kafka 4.1 (KRaft broker+controller) that
 *       can stop and restart on the same port; also runnable as a process ({@code KAFKA_READY host:port}).</li>
 *   <li>{@link io.ferry.devstack.Databases}: PostgreSQL for tests (env URL, container, local server or embedded,
 *       a fresh database each call) and a persistent embedded PostgreSQL that reaps its own orphans.</li>
 *   <li>{@link io.ferry.devstack.KafkaClusters}: Kafka for tests (container when Docker answers, else a KafkaNode).</li>
 *   <li>{@link io.ferry.devstack.Ports}: free-port and "does it answer" helpers.</li>
 * </ul>
 *
 * Failures surface as {@link io.ferry.devstack.DevstackException} whose message says what to do.
 */
package io.ferry.devstack;
