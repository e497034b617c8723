package io.ferry.schema;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaValidationException;
import org.apache.avro.SchemaValidator;
import org.apache.avro.SchemaValidatorBuilder;

/** The evolution rules ferry holds its schemas to, as Confluent's registry names them. */
public enum SchemaCompatibility {
    /** New readers read all old data: what a topic written by outside clients needs. */
    BACKWARD_TRANSITIVE(new SchemaValidatorBuilder().canReadStrategy().validateAll()),
    /** Old and new readers read each other's data, against every released version: the event log's rule. */
    FULL_TRANSITIVE(new SchemaValidatorBuilder().mutualReadStrategy().validateAll());

    private final SchemaValidator validator;

    SchemaCompatibility(SchemaValidator validator) {
        this.validator = validator;
    }

    /** @return empty when compatible, otherwise why not. */
    public java.util.Optional<String> check(Schema candidate, List<Schema> released) {
        try {
            validator.validate(candidate, released);
        } catch (SchemaValidationException e) {
            return java.util.Optional.of(candidate.getFullName() + " breaks " + name() + ": " + e.getMessage());
        }
        // The validator resolves an enum symbol a reader lacks only when data holds it, so it passes an enum that
        // lost its default; Avro's reader/writer check names the missing symbols.
        for (Schema old : released) {
            java.util.Optional<String> problem = readable(candidate, old);
            if (problem.isEmpty() && this == FULL_TRANSITIVE) {
                problem = readable(old, candidate);
            }
            if (problem.isPresent()) {
                return java.util.Optional.of(candidate.getFullName() + " breaks " + name() + ": " + problem.get());
            }
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> readable(Schema reader, Schema writer) {
        var result = org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        return result.getCompatibility() == org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE
                ? java.util.Optional.empty()
                : java.util.Optional.of(result.getIncompatibilities().stream()
                        .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")").toList().toString());
    }

    /** The rule each schema family must keep. */
    public static SchemaCompatibility requiredFor(String fullName) {
        return fullName.startsWith("io.ferry.schema.request.") ? BACKWARD_TRANSITIVE : FULL_TRANSITIVE;
    }
}
