package org.jxenbus.xenstore.cli.command;

/**
 * The usage messages of xenstore-utils 4.17, printed with {@code errx} and so exiting with status 1, even
 * for {@code -h}. The program name is {@code argv[0]} as given; the mode word follows it only when the mode
 * came from the first argument ({@code xenstore read ...}).
 */
final class Usage {

    private Usage() {
    }

    /** Prints the usage of {@code mode} and returns the exit for the caller to throw. */
    static CommandExit of(Mode mode, boolean withModeWord, String argv0, Diagnostics diagnostics) {
        String word = withModeWord ? mode.word() + " " : "";
        return diagnostics.errx("Usage: " + argv0 + " " + word + mode.usage());
    }

    /** Prints the usage for a missing mode and returns the exit for the caller to throw. */
    static CommandExit withoutMode(String argv0, Diagnostics diagnostics) {
        return diagnostics.errx("Usage: " + argv0 + " <mode> [-h] [...]");
    }
}
