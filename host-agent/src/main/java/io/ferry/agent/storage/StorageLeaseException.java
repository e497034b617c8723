package io.ferry.agent.storage;

/** A lease operation that the current lease does not allow. */
public final class StorageLeaseException extends RuntimeException {
    public StorageLeaseException(String message) {
        super(message);
    }
}
