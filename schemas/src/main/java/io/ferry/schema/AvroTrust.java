package io.ferry.schema;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate generated classes from packages it does not trust. ferry's own schema
 * classes are trusted here, in code, so no deployment depends on remembering a JVM flag.
 */
public final class AvroTrust {
    public static final String TRUSTED_PACKAGE = "io.ferry.schema";
    private static volatile boolean installed;

    private AvroTrust() {}

    public static void install() {
        if (installed) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!installed) {
                ClassSecurityValidator.ClassSecurityPredicate ours =
                        type -> type.getName().startsWith(TRUSTED_PACKAGE + ".");
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
                installed = true;
            }
        }
    }
}
