package io.ferry.cli.output;

import java.io.Console;

/** Whether stdout is a terminal, for redrawing a progress line in place. */
public final class Terminal {
    private Terminal() {}

    /**
     * {@code ./ferry} passes {@code -Dferry.tty=true|false} from {@code [ -t 1 ]}; without it, JDK 22+'s
     * {@code Console.isTerminal()} decides (System.console() alone is not null on redirected output since JDK 22).
     */
    public static boolean stdoutIsTerminal() {
        String told = System.getProperty("ferry.tty");
        if (told != null && !told.isBlank()) {
            return Boolean.parseBoolean(told);
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only when attached to a terminal
        }
    }
}
