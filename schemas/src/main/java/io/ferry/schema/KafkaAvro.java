package io.ferry.schema;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer and deserializer over {@link AvroCodec}, one per record type. */
public final class KafkaAvro {
    private KafkaAvro() {}

    public static <T extends SpecificRecordBase> Serializer<T> serializer(Class<T> type) {
        AvroCodec<T> codec = AvroCodec.of(type);
        return (topic, record) -> record == null ? null : codec.encode(record);
    }

    public static <T extends SpecificRecordBase> Deserializer<T> deserializer(Class<T> type) {
        AvroCodec<T> codec = AvroCodec.of(type);
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return codec.decode(bytes);
            } catch (SchemaMismatchException e) {
                throw new SerializationException("record on " + topic + " is " + e.getMessage(), e);
            }
        };
    }
}
