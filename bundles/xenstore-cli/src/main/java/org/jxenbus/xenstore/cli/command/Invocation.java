package org.jxenbus.xenstore.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the command was started: the program name, the jxenbus {@code --connect URI} option (taken out
 * first, so the rest reads exactly as the real tool reads it), and the mode word, from the program name
 * {@code xenstore-<mode>} or else from the first argument.
 *
 * @param argv0 the program name as given to the command
 * @param connectUri the store to open, if {@code --connect} named one
 * @param modeWord the mode as typed
 * @param modeFromArgument whether the mode came from the first argument rather than the program name
 * @param optionArgs the arguments left for option parsing, after the mode word
 */
record Invocation(String argv0, Optional<String> connectUri, String modeWord, boolean modeFromArgument,
        List<String> optionArgs) {

    /** Copies the arguments. */
    Invocation {
        optionArgs = List.copyOf(optionArgs);
    }

    /** The program-name prefix that selects the mode, as in {@code xenstore-read}. */
    static final String MODE_PREFIX = "xenstore-";
    /** The jxenbus option naming the store. */
    static final String CONNECT = "--connect";

    /**
     * Reads the start of the command line.
     *
     * @param argv0 the program name as given
     * @param args the arguments
     * @throws CommandExit after printing a message, for a missing mode or a {@code --connect} without URI
     */
    static Invocation parse(String argv0, List<String> args, Diagnostics diagnostics) {
        List<String> rest = new ArrayList<>();
        String uri = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                rest.addAll(args.subList(i, args.size()));
                break;
            }
            if (a.equals(CONNECT)) {
                if (i + 1 == args.size()) {
                    throw diagnostics.errx("option '" + CONNECT + "' requires an argument");
                }
                uri = args.get(++i);
            } else if (a.startsWith(CONNECT + "=")) {
                uri = a.substring(CONNECT.length() + 1);
            } else {
                rest.add(a);
            }
        }
        String name = shortName(argv0);
        if (name.startsWith(MODE_PREFIX)) {
            return new Invocation(argv0, Optional.ofNullable(uri), name.substring(MODE_PREFIX.length()), false, rest);
        }
        if (rest.isEmpty()) {
            throw Usage.withoutMode(argv0, diagnostics);
        }
        return new Invocation(argv0, Optional.ofNullable(uri), rest.get(0), true, rest.subList(1, rest.size()));
    }

    /** The program name without directories: glibc's {@code program_invocation_short_name}. */
    static String shortName(String argv0) {
        return argv0.substring(argv0.lastIndexOf('/') + 1);
    }

    /** The {@code argv[0]} getopt sees: the mode word when it came from the arguments. */
    String getoptName() {
        return modeFromArgument ? modeWord : argv0;
    }
}
