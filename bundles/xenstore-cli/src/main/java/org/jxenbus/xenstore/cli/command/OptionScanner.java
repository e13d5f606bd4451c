package org.jxenbus.xenstore.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * GNU {@code getopt_long} as glibc 2.36 behaves, for option strings made of letters, each optionally
 * followed by one {@code :} (a required argument). Options and operands may be mixed: operands are set
 * aside in order and options after them still count (permutation), unless {@code POSIXLY_CORRECT} asks to
 * stop at the first operand. {@code --} ends the options; {@code -} alone is an operand. Short options may
 * be clustered ({@code -pR}) and take their argument attached or from the next argument. Long options may
 * be abbreviated to any unique prefix and take their argument after {@code =} or as the next argument.
 *
 * <p>Errors are reported as glibc words them, prefixed with the given program name, and the option is
 * returned as {@code '?'}; scanning goes on.
 *
 * <p>Not thread-safe: one scanner per command line.
 */
final class OptionScanner {

    /** Returned by {@link #next()} when the options are over. */
    static final int END = -1;
    /** Returned by {@link #next()} for an option that was reported as an error. */
    static final int ERROR = '?';

    /** A long option: its name, whether it needs an argument, and the letter it stands for. */
    record LongOption(String name, boolean takesArgument, char letter) {
    }

    private final String programName;
    private final List<String> args;
    private final String shortOptions;
    private final List<LongOption> longOptions;
    private final boolean stopAtFirstOperand;
    private final Consumer<String> errors;
    private final List<String> operands = new ArrayList<>();
    private int index;
    private String cluster = "";
    private String argument;

    /**
     * @param programName the name getopt's messages start with: its {@code argv[0]}
     * @param args the arguments after {@code argv[0]}
     * @param shortOptions the option letters, {@code :} after those that need an argument
     * @param longOptions the long options, in the order their ambiguity is reported
     * @param stopAtFirstOperand true when {@code POSIXLY_CORRECT} is set
     * @param errors receives each diagnostic line, without its newline
     */
    OptionScanner(String programName, List<String> args, String shortOptions, List<LongOption> longOptions,
            boolean stopAtFirstOperand, Consumer<String> errors) {
        this.programName = programName;
        this.args = List.copyOf(args);
        this.shortOptions = shortOptions;
        this.longOptions = List.copyOf(longOptions);
        this.stopAtFirstOperand = stopAtFirstOperand;
        this.errors = errors;
    }

    /**
     * The next option's letter, {@link #ERROR} for a reported error, or {@link #END}; after {@code END},
     * {@link #operands()} holds the operands in order.
     */
    int next() {
        argument = null;
        while (cluster.isEmpty()) {
            if (index == args.size()) {
                return END;
            }
            String a = args.get(index);
            if (a.equals("--")) {
                operands.addAll(args.subList(index + 1, args.size()));
                index = args.size();
                return END;
            }
            if (!a.startsWith("-") || a.length() == 1) {
                if (stopAtFirstOperand) {
                    operands.addAll(args.subList(index, args.size()));
                    index = args.size();
                    return END;
                }
                operands.add(a);
                index++;
                continue;
            }
            index++;
            if (a.startsWith("--")) {
                return longOption(a.substring(2));
            }
            cluster = a.substring(1);
        }
        return shortOption();
    }

    /** The argument of the option {@link #next()} returned last, or {@code null}. */
    String argument() {
        return argument;
    }

    /** The operands, once {@link #next()} returned {@link #END}. */
    List<String> operands() {
        return List.copyOf(operands);
    }

    private int shortOption() {
        char c = cluster.charAt(0);
        cluster = cluster.substring(1);
        int at = shortOptions.indexOf(c);
        if (at < 0 || c == ':' || c == ';') {
            report("invalid option -- '" + c + "'");
            return ERROR;
        }
        boolean takesArgument = at + 1 < shortOptions.length() && shortOptions.charAt(at + 1) == ':';
        if (!takesArgument) {
            return c;
        }
        if (!cluster.isEmpty()) {
            argument = cluster;
            cluster = "";
        } else if (index < args.size()) {
            argument = args.get(index++);
        } else {
            report("option requires an argument -- '" + c + "'");
            return ERROR;
        }
        return c;
    }

    private int longOption(String text) {
        int equals = text.indexOf('=');
        String name = equals < 0 ? text : text.substring(0, equals);
        LongOption found = null;
        List<LongOption> candidates = new ArrayList<>();
        for (LongOption o : longOptions) {
            if (o.name().equals(name)) {
                found = o;
                break;
            }
            if (o.name().startsWith(name)) {
                candidates.add(o);
            }
        }
        List<LongOption> rivals = rivals(candidates);
        if (found == null && rivals.size() > 1) {
            StringBuilder line = new StringBuilder("option '--" + text + "' is ambiguous; possibilities:");
            rivals.forEach(o -> line.append(" '--").append(o.name()).append('\''));
            report(line.toString());
            return ERROR;
        }
        if (found == null && candidates.isEmpty()) {
            report("unrecognized option '--" + text + "'");
            return ERROR;
        }
        if (found == null) {
            found = candidates.get(0);
        }
        if (equals >= 0) {
            if (!found.takesArgument()) {
                report("option '--" + found.name() + "' doesn't allow an argument");
                return ERROR;
            }
            argument = text.substring(equals + 1);
        } else if (found.takesArgument()) {
            if (index == args.size()) {
                report("option '--" + found.name() + "' requires an argument");
                return ERROR;
            }
            argument = args.get(index++);
        }
        return found.letter();
    }

    /**
     * The abbreviation's first match and every later match that means something else (another letter or
     * argument rule): more than one makes the abbreviation ambiguous. Aliases of the first do not.
     */
    private static List<LongOption> rivals(List<LongOption> candidates) {
        List<LongOption> rivals = new ArrayList<>();
        for (LongOption o : candidates) {
            LongOption first = rivals.isEmpty() ? o : rivals.get(0);
            if (rivals.isEmpty() || o.letter() != first.letter() || o.takesArgument() != first.takesArgument()) {
                rivals.add(o);
            }
        }
        return rivals;
    }

    private void report(String message) {
        errors.accept(programName + ": " + message);
    }
}
