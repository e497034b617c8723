package io.ferry.devstack;

/**
 * Something in the local infrastructure could not be brought up or torn down. The message always says
 * what failed and what the user can do about it, because it usually ends up printed by {@code ./ferry up}.
 */
public final class DevstackException extends RuntimeException {

    public DevstackException(String message) {
        super(message);
    }

    public DevstackException(String message, Throwable cause) {
        super(message, cause);
    }
}
