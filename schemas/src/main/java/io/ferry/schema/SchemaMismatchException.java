package io.ferry.schema;

/** Bytes that cannot be read as the expected Avro record: wrong schema, unknown fingerprint or corrupt data. */
public final class SchemaMismatchException extends RuntimeException {
    public SchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
