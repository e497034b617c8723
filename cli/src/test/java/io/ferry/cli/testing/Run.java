package io.ferry.cli.testing;

import io.ferry.cli.Ferry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the ferry command line in-process and keeps its exit code, stdout and stderr. */
public record Run(int exitCode, String out, String err) {

    /** {@code ferry <args>} against {@code stub} as user ops. */
    public static Run ferry(StubFerry stub, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", stub.url(), "--user", "ops", "--password", "secret"));
        return ferry(all.toArray(String[]::new));
    }

    public static Run ferry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Ferry.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
