package io.ferry.cli.commands;

import io.ferry.cli.connection.ApiException;
import io.ferry.cli.connection.Connection;
import io.ferry.cli.connection.ConnectionOptions;
import io.ferry.cli.connection.CredentialsFile;
import io.ferry.cli.connection.FerryClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that calls the REST API. Exit codes: 0 done, 1 the server failed or could not be reached, 2 the request
 * was refused (4xx); subclasses add their own (watch: 1 when the migration did not complete; replay: 4 on divergence).
 * Errors go to stderr as {@code ferry: <detail> (<reason>)}.
 */
public abstract class ClientCommand implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int REFUSED = 2;

    @Mixin
    ConnectionOptions connectionOptions = new ConnectionOptions();

    @Option(names = "--json", description = "Print the API's JSON (its field names) instead of a table, for scripts.")
    protected boolean json;

    @Spec
    CommandSpec spec;

    /** Runs the command; output goes to {@code out}. */
    protected abstract int run(FerryClient api, PrintWriter out) throws Exception;

    @Override
    public Integer call() throws Exception {
        Connection connection = connectionOptions.resolve();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(new FerryClient(connection), spec.commandLine().getOut());
        } catch (ApiException.Failed e) {
            err.println(e.getMessage());
            int status = e.problem().status();
            if ((status == 401 || status == 403) && !connection.hasCredentials()) {
                err.println("ferry: no credentials were given: pass --user and --password (or FERRY_USER and "
                        + "FERRY_PASSWORD), or start ./ferry up, which writes " + CredentialsFile.location(System.getenv()));
            }
            return e.problem().clientError() ? REFUSED : FAILED;
        } catch (ApiException.Unreachable e) {
            err.println(e.getMessage());
            return FAILED;
        } catch (IllegalArgumentException e) { // an option the CLI could check before asking
            err.println("ferry: " + e.getMessage());
            return REFUSED;
        } finally {
            err.flush();
            spec.commandLine().getOut().flush();
        }
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
