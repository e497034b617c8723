package io.ferry.cli.connection;

/** The API answered with an error (a problem), or could not be reached at all. */
public abstract sealed class ApiException extends RuntimeException {

    ApiException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The server answered 4xx or 5xx. */
    public static final class Failed extends ApiException {
        private final Problem problem;

        public Failed(Problem problem) {
            super(problem.message(), null);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** No answer: connection refused, timed out, unknown host. */
    public static final class Unreachable extends ApiException {
        public Unreachable(String url, Throwable cause) {
            super("ferry: cannot reach the orchestrator at " + url + " (" + describe(cause) + "); start one with "
                    + "./ferry up or pass --url (or FERRY_URL)", cause);
        }

        private static String describe(Throwable cause) {
            if (cause instanceof java.net.ConnectException && (cause.getMessage() == null || cause.getMessage().isBlank())) {
                return "connection refused";
            }
            if (cause instanceof java.net.http.HttpTimeoutException) {
                return "no answer in time";
            }
            String name = cause.getClass().getSimpleName();
            return cause.getMessage() == null || cause.getMessage().isBlank() ? name : name + ": " + cause.getMessage();
        }
    }
}
