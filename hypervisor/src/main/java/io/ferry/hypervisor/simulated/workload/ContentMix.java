package io.ferry.hypervisor.simulated.workload;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What the pages a guest used at boot contain, as fractions summing to 1, written {@code random:R,text:T,zero:Z}
 * (any order; a kind left out is 0): random bytes that do not compress, text-like bytes (words from a small
 * vocabulary) that do, and pages the guest used but that are all zero, which travel as markers.
 */
public record ContentMix(double random, double text, double zero) {
    public static final String FORM =
            "random:R,text:T,zero:Z with fractions summing to 1, e.g. random:0.7,text:0.2,zero:0.1";
    public static final ContentMix DEFAULT = new ContentMix(0.7, 0.2, 0.1);
    private static final double TOLERANCE = 1e-6;
    private static final byte[][] WORDS = Arrays.stream(("the of and to in is for on that with as by at from this are be was it or an "
            + "guest memory page host migration kernel request response error warning info debug user session cache "
            + "buffer queue thread lock timeout retry commit rollback select insert update delete where order group "
            + "value key index table column row status ok failed started stopped connected disconnected").split(" "))
            .map(w -> w.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    public enum Kind { RANDOM, TEXT, ZERO }

    public ContentMix {
        if (!(random >= 0) || !(text >= 0) || !(zero >= 0)) {
            throw new IllegalArgumentException("content mix fractions must not be negative, got random:" + random + ",text:" + text
                    + ",zero:" + zero + "; expected " + FORM);
        }
        if (Math.abs(random + text + zero - 1) > TOLERANCE) {
            throw new IllegalArgumentException("content mix random:" + random + ",text:" + text + ",zero:" + zero + " sums to "
                    + (random + text + zero) + ", not 1; expected " + FORM);
        }
    }

    /** Parses {@code random:0.7,text:0.2,zero:0.1}; fails naming the spec and the accepted form. */
    public static ContentMix parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw invalid(spec, "it is empty");
        }
        double[] fractions = new double[3];
        boolean[] seen = new boolean[3];
        for (String entry : spec.strip().split(",")) {
            String[] pair = entry.strip().split(":", -1);
            if (pair.length != 2) {
                throw invalid(spec, "'" + entry.strip() + "' is not KIND:FRACTION");
            }
            int kind = switch (pair[0].strip().toLowerCase(Locale.ROOT)) {
                case "random" -> 0;
                case "text" -> 1;
                case "zero" -> 2;
                default -> throw invalid(spec, "'" + pair[0].strip() + "' is not a kind (random, text or zero)");
            };
            if (seen[kind]) {
                throw invalid(spec, "'" + pair[0].strip() + "' appears twice");
            }
            seen[kind] = true;
            try {
                fractions[kind] = Double.parseDouble(pair[1].strip());
            } catch (NumberFormatException e) {
                throw invalid(spec, "'" + pair[1].strip() + "' is not a number");
            }
        }
        try {
            return new ContentMix(fractions[0], fractions[1], fractions[2]);
        } catch (IllegalArgumentException e) {
            throw invalid(spec, e.getMessage());
        }
    }

    /** The kind of the next used page, drawn from {@code random}. */
    public Kind next(SplittableRandom random) {
        double draw = random.nextDouble();
        if (draw < this.random) {
            return Kind.RANDOM;
        }
        return draw < this.random + text ? Kind.TEXT : Kind.ZERO;
    }

    /** Fills {@code page} with content of {@code kind}. */
    public static void fill(byte[] page, Kind kind, SplittableRandom random) {
        switch (kind) {
            case RANDOM -> random.nextBytes(page);
            case ZERO -> Arrays.fill(page, (byte) 0);
            case TEXT -> {
                int at = 0;
                while (at < page.length) {
                    byte[] word = WORDS[random.nextInt(WORDS.length)];
                    int n = Math.min(word.length, page.length - at);
                    System.arraycopy(word, 0, page, at, n);
                    at += n;
                    if (at < page.length) {
                        int separator = random.nextInt(16);
                        page[at++] = (byte) (separator == 0 ? '\n' : separator == 1 ? ',' : ' ');
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "random:" + random + ",text:" + text + ",zero:" + zero;
    }

    private static IllegalArgumentException invalid(String spec, String why) {
        return new IllegalArgumentException("content mix '" + spec + "' is not valid: " + why + "; expected " + FORM);
    }
}
