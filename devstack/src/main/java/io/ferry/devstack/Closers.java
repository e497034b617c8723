package io.ferry.devstack;

import java.util.concurrent.atomic.AtomicBoolean;

/** AutoCloseable helpers. */
final class Closers {

    private static final AutoCloseable NOTHING = () -> { };

    private Closers() {
    }

    static AutoCloseable nothing() {
        return NOTHING;
    }

    /** Closes, turning any checked failure into a DevstackException that names what could not be released. */
    static void close(AutoCloseable closer, String what) {
        try {
            closer.close();
        } catch (DevstackException e) {
            throw e;
        } catch (Exception e) {
            throw new DevstackException("could not release " + what + ": " + e.getMessage(), e);
        }
    }

    /** Wraps a closer so that a second close() is a no-op; try-with-resources plus an explicit close is common. */
    static AutoCloseable once(AutoCloseable closer) {
        if (closer == null) {
            return NOTHING;
        }
        if (closer instanceof Once) {
            return closer;
        }
        return new Once(closer);
    }

    private static final class Once implements AutoCloseable {
        private final AutoCloseable delegate;
        private final AtomicBoolean closed = new AtomicBoolean();

        Once(AutoCloseable delegate) {
            this.delegate = delegate;
        }

        @Override
        public void close() throws Exception {
            if (closed.compareAndSet(false, true)) {
                delegate.close();
            }
        }
    }
}
