package io.ferry.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every schema version ferry has released, kept under {@code released/<release>/<full name>.avsc} in the jar and
 * listed in {@code released/index.txt}. Readers register them all so data written by older producers (or kept in
 * the event log) stays readable; the compatibility test checks the current schemas against them.
 */
public final class ReleasedSchemas {
    static final String INDEX = "released/index.txt";

    private ReleasedSchemas() {}

    /** Paths in the index, e.g. {@code 1/io.ferry.schema.agent.StageCommand.avsc}. */
    public static List<String> index() {
        try (InputStream in = ReleasedSchemas.class.getClassLoader().getResourceAsStream(INDEX)) {
            if (in == null) {
                return List.of();
            }
            List<String> lines = new ArrayList<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(lines::add);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Schema> versionsOf(String fullName) {
        return index().stream().filter(p -> p.endsWith("/" + fullName + ".avsc")).map(ReleasedSchemas::load).toList();
    }

    public static Schema load(String path) {
        try (InputStream in = ReleasedSchemas.class.getClassLoader().getResourceAsStream("released/" + path)) {
            if (in == null) {
                throw new IllegalStateException("released/index.txt names released/" + path + " but the jar lacks it");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
