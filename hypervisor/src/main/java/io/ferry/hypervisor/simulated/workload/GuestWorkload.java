package io.ferry.hypervisor.simulated.workload;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What a running guest does to its memory: how many page writes per second and which pages they hit. Written as a
 * spec {@code NAME[:params]}:
 * <ul>
 *   <li>{@code idle}: no writes;</li>
 *   <li>{@code uniform:N}: N writes/s spread uniformly over all pages;</li>
 *   <li>{@code hotset:N[:FRACTION[:SHARE]]}: N writes/s, of which SHARE (default 0.95) go to the first FRACTION
 *       (default 0.05) of the pages, the rest uniformly to the other pages;</li>
 *   <li>{@code sweep:N}: N writes/s walking the pages in order, wrapping at the end;</li>
 *   <li>{@code heavy[:N]}: uniform writes as fast as the vCPU can (faster than any link), or at N writes/s.</li>
 * </ul>
 *
 * @param shape which pages the writes hit
 * @param writesPerSecond the target rate; 0 for idle, and for heavy without N, meaning as fast as it can
 * @param hotFraction share of pages in the hot set (hotset only, else 0)
 * @param hotShare share of writes that hit the hot set (hotset only, else 0)
 */
public record GuestWorkload(Shape shape, long writesPerSecond, double hotFraction, double hotShare) {
    public static final String ACCEPTED_FORMS =
            "idle, uniform:N, hotset:N[:FRACTION[:SHARE]], sweep:N, heavy or heavy:N (N page writes per second)";
    public static final double DEFAULT_HOT_FRACTION = 0.05;
    public static final double DEFAULT_HOT_SHARE = 0.95;
    public static final GuestWorkload IDLE = new GuestWorkload(Shape.IDLE, 0, 0, 0);
    private static final long MAX_RATE = 1_000_000_000L;

    public enum Shape { IDLE, UNIFORM, HOTSET, SWEEP, HEAVY }

    /** Picks the page of each write; used by one writer at a time. */
    @FunctionalInterface
    public interface PagePicker {
        int next();
    }

    public GuestWorkload {
        if (shape == null) {
            throw new IllegalArgumentException("a guest workload needs a shape; accepted forms: " + ACCEPTED_FORMS);
        }
        if (writesPerSecond < 0 || writesPerSecond > MAX_RATE) {
            throw new IllegalArgumentException("writes per second must be between 0 and " + MAX_RATE + ", got " + writesPerSecond);
        }
    }

    /** Parses a spec such as {@code hotset:20000:0.1:0.9}; fails naming the spec and the accepted forms. */
    public static GuestWorkload parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw invalid(spec, "it is empty");
        }
        String[] parts = spec.strip().split(":", -1);
        String name = parts[0].strip().toLowerCase(Locale.ROOT);
        int params = parts.length - 1;
        return switch (name) {
            case "idle" -> {
                expectParams(spec, params, 0, 0);
                yield IDLE;
            }
            case "uniform" -> {
                expectParams(spec, params, 1, 1);
                yield new GuestWorkload(Shape.UNIFORM, rate(spec, parts[1]), 0, 0);
            }
            case "hotset" -> {
                expectParams(spec, params, 1, 3);
                double fraction = params >= 2 ? fraction(spec, parts[2], "FRACTION", false) : DEFAULT_HOT_FRACTION;
                double share = params >= 3 ? fraction(spec, parts[3], "SHARE", true) : DEFAULT_HOT_SHARE;
                yield new GuestWorkload(Shape.HOTSET, rate(spec, parts[1]), fraction, share);
            }
            case "sweep" -> {
                expectParams(spec, params, 1, 1);
                yield new GuestWorkload(Shape.SWEEP, rate(spec, parts[1]), 0, 0);
            }
            case "heavy", "write-heavy" -> {
                expectParams(spec, params, 0, 1);
                yield new GuestWorkload(Shape.HEAVY, params == 1 ? rate(spec, parts[1]) : 0, 0, 0);
            }
            default -> throw invalid(spec, "'" + parts[0].strip() + "' is not a workload");
        };
    }

    /** The workload of the former writes-per-second setting: uniform writes, or idle for 0. */
    public static GuestWorkload uniform(long writesPerSecond) {
        return writesPerSecond == 0 ? IDLE : new GuestWorkload(Shape.UNIFORM, writesPerSecond, 0, 0);
    }

    /** Whether a running guest with this workload writes at all. */
    public boolean writes() {
        return shape != Shape.IDLE;
    }

    /** Whether it writes as fast as it can rather than at a rate. */
    public boolean unlimited() {
        return shape == Shape.HEAVY && writesPerSecond == 0;
    }

    /** How many pages (the first ones) form the hot set of a guest with {@code pages} pages; 0 unless hotset. */
    public int hotPages(int pages) {
        if (shape != Shape.HOTSET) {
            return 0;
        }
        return (int) Math.max(1, Math.min(pages, Math.round(pages * hotFraction)));
    }

    /** A page picker for a guest of {@code pages} pages, drawing from {@code random}. */
    public PagePicker pages(int pages, SplittableRandom random) {
        if (pages < 1) {
            throw new IllegalArgumentException("a guest needs at least one page, got " + pages);
        }
        return switch (shape) {
            case IDLE -> () -> {
                throw new IllegalStateException("an idle guest does not write");
            };
            case UNIFORM, HEAVY -> () -> random.nextInt(pages);
            case SWEEP -> new PagePicker() {
                private int cursor;

                @Override
                public int next() {
                    int page = cursor;
                    cursor = cursor + 1 == pages ? 0 : cursor + 1;
                    return page;
                }
            };
            case HOTSET -> {
                int hot = hotPages(pages);
                int cold = pages - hot;
                yield () -> cold == 0 || random.nextDouble() < hotShare ? random.nextInt(hot) : hot + random.nextInt(cold);
            }
        };
    }

    /** The spec this workload is parsed from, in canonical form. */
    @Override
    public String toString() {
        return switch (shape) {
            case IDLE -> "idle";
            case UNIFORM -> "uniform:" + writesPerSecond;
            case HOTSET -> "hotset:" + writesPerSecond + ":" + hotFraction + ":" + hotShare;
            case SWEEP -> "sweep:" + writesPerSecond;
            case HEAVY -> writesPerSecond == 0 ? "heavy" : "heavy:" + writesPerSecond;
        };
    }

    private static void expectParams(String spec, int params, int min, int max) {
        if (params < min || params > max) {
            throw invalid(spec, min == max ? "it takes " + (min == 0 ? "no parameters" : min + " parameter" + (min == 1 ? "" : "s"))
                    : "it takes " + min + " to " + max + " parameters");
        }
    }

    private static long rate(String spec, String text) {
        long rate;
        try {
            rate = Long.parseLong(text.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(spec, "N must be a whole number of writes per second, got '" + text + "'");
        }
        if (rate < 1 || rate > MAX_RATE) {
            throw invalid(spec, "N must be between 1 and " + MAX_RATE + " writes per second (use idle for none), got " + rate);
        }
        return rate;
    }

    private static double fraction(String spec, String text, String what, boolean zeroAllowed) {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw invalid(spec, what + " must be a number between 0 and 1, got '" + text + "'");
        }
        if (!(value <= 1) || !(zeroAllowed ? value >= 0 : value > 0)) {
            String range = zeroAllowed ? "between 0 and 1" : "above 0 and at most 1";
            throw invalid(spec, what + " must be " + range + ", got " + text.strip());
        }
        return value;
    }

    private static IllegalArgumentException invalid(String spec, String why) {
        return new IllegalArgumentException("guest workload '" + spec + "' is not valid: " + why + "; accepted forms: "
                + ACCEPTED_FORMS);
    }
}
