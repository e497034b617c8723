package io.ferry.cli.connection;

import picocli.CommandLine.Option;

/** {@code --url}, {@code --user}, {@code --password}, {@code --viewer}: shared by every command that calls the API. */
public final class ConnectionOptions {

    @Option(names = "--url", paramLabel = "URL", description = "The orchestrator's REST URL (env FERRY_URL; default: the "
            + "one ./ferry up wrote, else " + Connection.DEFAULT_URL + ").")
    String url;

    @Option(names = "--user", description = "REST user (env FERRY_USER; default: the operator ./ferry up created).")
    String user;

    @Option(names = "--password", description = "Its password (env FERRY_PASSWORD, which keeps it out of the process list).")
    String password;

    @Option(names = "--viewer", description = "Use the read-only viewer user of ./ferry up instead of the operator.")
    boolean viewer;

    public Connection resolve() {
        return ConnectionResolver.resolve(new ConnectionResolver.Flags(url, user, password, viewer), System.getenv(),
                CredentialsFile.location(System.getenv()));
    }
}
