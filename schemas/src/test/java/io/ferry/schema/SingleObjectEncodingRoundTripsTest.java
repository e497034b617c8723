package io.ferry.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.schema.common.Compression;
import io.ferry.schema.request.MigrationRequest;
import io.ferry.schema.event.StorageAcquired;
import org.junit.jupiter.api.Test;

class SingleObjectEncodingRoundTripsTest {

    private final AvroCodec<MigrationRequest> codec = AvroCodec.of(MigrationRequest.class);

    @Test
    void a_request_survives_encode_and_decode_without_any_trusted_package_flag() {
        // given a request with optional fields set
        MigrationRequest request = MigrationRequest.newBuilder().setRequestId("r-1").setVmId("SERVER2")
                .setDestinationHost("hv-02").setCompression(Compression.LZ4).setMaxDowntimeMs(300L).build();
        assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).isNull();

        // when
        byte[] bytes = codec.encode(request);

        // then the bytes start with the single-object marker and decode to the same request
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(codec.decode(bytes)).isEqualTo(request);
    }

    @Test
    void bytes_of_another_record_type_are_refused_with_the_expected_type_named() {
        // given a different record, encoded
        byte[] other = AvroCodec.of(StorageAcquired.class).encode(new StorageAcquired("hv-02", 2L));

        // when / then
        assertThatThrownBy(() -> codec.decode(other)).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("io.ferry.schema.request.MigrationRequest");
    }

    @Test
    void garbage_is_refused_not_crashed_on() {
        assertThatThrownBy(() -> codec.decode("{\"vmId\":\"x\"}".getBytes()))
                .isInstanceOf(SchemaMismatchException.class);
    }
}
