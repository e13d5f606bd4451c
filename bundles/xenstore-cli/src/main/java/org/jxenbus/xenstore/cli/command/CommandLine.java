package org.jxenbus.xenstore.cli.command;

import java.util.List;

/**
 * A command line read as xenstore-utils 4.17 reads it: the mode looked up, options scanned with GNU
 * {@code getopt_long} over {@code "hfspturn:R"}, each option checked against the mode as it comes (so
 * {@code -h} or an option of another mode prints the usage at once), unknown options only reported, and
 * finally the operand count checked. All of this happens before connecting.
 *
 * @param mode the mode
 * @param options what the options asked for
 * @param operands the operands, in order
 */
record CommandLine(Mode mode, CommandOptions options, List<String> operands) {

    /** xenstore-utils' option string. */
    static final String SHORT_OPTIONS = "hfspturn:R";
    /** xenstore-utils' long options, in its order (which ambiguity messages follow). */
    static final List<OptionScanner.LongOption> LONG_OPTIONS = List.of(
            new OptionScanner.LongOption("help", false, 'h'),
            new OptionScanner.LongOption("flat", false, 'f'),
            new OptionScanner.LongOption("prefix", false, 'p'),
            new OptionScanner.LongOption("tidy", false, 't'),
            new OptionScanner.LongOption("upto", false, 'u'),
            new OptionScanner.LongOption("recurse", false, 'r'),
            new OptionScanner.LongOption("number", true, 'n'),
            new OptionScanner.LongOption("raw", false, 'R'));

    /** Copies the operands. */
    CommandLine {
        operands = List.copyOf(operands);
    }

    /**
     * Reads the command line of {@code invocation}.
     *
     * @param stopAtFirstOperand whether {@code POSIXLY_CORRECT} is set
     * @throws CommandExit after printing the message, for an unknown mode or a usage error
     */
    static CommandLine parse(Invocation invocation, boolean stopAtFirstOperand, Diagnostics diagnostics) {
        Mode mode = Mode.named(invocation.modeWord()).orElseThrow(
                () -> diagnostics.errx("unknown mode " + invocation.modeWord() + "\n"));
        OptionScanner scanner = new OptionScanner(invocation.getoptName(), invocation.optionArgs(), SHORT_OPTIONS,
                LONG_OPTIONS, stopAtFirstOperand, diagnostics::line);
        CommandOptions options = new CommandOptions();
        for (int c = scanner.next(); c != OptionScanner.END; c = scanner.next()) {
            if (c == OptionScanner.ERROR || c == 's') {
                continue; // reported already; -s (it once chose the socket) is accepted and does nothing
            }
            if (c == 'h' || !mode.accepts((char) c)) {
                throw Usage.of(mode, invocation.modeFromArgument(), invocation.argv0(), diagnostics);
            }
            options.set((char) c, scanner.argument());
        }
        List<String> operands = scanner.operands();
        if (!mode.operandsValid(operands.size())) {
            throw Usage.of(mode, invocation.modeFromArgument(), invocation.argv0(), diagnostics);
        }
        return new CommandLine(mode, options, operands);
    }
}
