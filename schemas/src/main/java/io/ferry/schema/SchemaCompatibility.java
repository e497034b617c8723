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
            return java.util.Optional.empty();
        } catch (SchemaValidationException e) {
            return java.util.Optional.of(candidate.getFullName() + " breaks " + name() + ": " + e.getMessage());
        }
    }

    /** The rule each schema family must keep. */
    public static SchemaCompatibility requiredFor(String fullName) {
        return fullName.startsWith("io.ferry.schema.request.") ? BACKWARD_TRANSITIVE : FULL_TRANSITIVE;
    }
}
