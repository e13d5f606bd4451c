package org.jxenbus.xenstore.cli.command;

import java.util.Optional;

/**
 * The command's modes, chosen by the program name ({@code xenstore-read}) or the first argument
 * ({@code xenstore read}): what each accepts and how it runs, as in xenstore-utils 4.17. {@link #MKDIR} and
 * {@link #PERMS} are jxenbus extensions with no counterpart there.
 */
enum Mode {
    /** Prints values. */
    READ("read", "[-h] [-p] [-s] [-R] key [...]", "pR"),
    /** Writes key/value pairs. */
    WRITE("write", "[-h] [-s] [-R] key value [...]", "R"),
    /** Removes nodes. */
    RM("rm", "[-h] [-s] [-t] key [...]", "t"),
    /** Tells by the exit status whether every key can be read. */
    EXISTS("exists", "[-h] [-p] [-s] key [...]", ""),
    /** Prints children's names. */
    LIST("list", "[-h] [-p] [-s] key [...]", "p"),
    /** Prints subtrees with values (and permissions). */
    LS("ls", "[-h] [-f] [-p] [-s] [path]", "fp"),
    /** Sets permissions. */
    CHMOD("chmod", "[-h] [-u] [-r] [-s] key <mode [modes...]>", "ur"),
    /** Prints watch events. */
    WATCH("watch", "[-h] [-n NR] key", "n"),
    /** jxenbus extension: creates nodes, keeping existing values. */
    MKDIR("mkdir", "[-h] [-s] key [...]", ""),
    /** jxenbus extension: prints nodes' own permissions. */
    PERMS("perms", "[-h] [-p] [-s] key [...]", "p");

    private final String word;
    private final String usage;
    private final String options;

    Mode(String word, String usage, String options) {
        this.word = word;
        this.usage = usage;
        this.options = options;
    }

    /** The mode with this exact name. */
    static Optional<Mode> named(String word) {
        for (Mode m : values()) {
            if (m.word.equals(word)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The name, e.g. {@code read}. */
    String word() {
        return word;
    }

    /** The synopsis after the program name (and mode word) in the usage message. */
    String usage() {
        return usage;
    }

    /** Whether option letter {@code option} (other than {@code -h} and {@code -s}) belongs to this mode. */
    boolean accepts(char option) {
        return options.indexOf(option) >= 0;
    }

    /** Whether this many operands are a valid command line. */
    boolean operandsValid(int count) {
        return switch (this) {
            case LS -> true;
            case WRITE -> count > 0 && count % 2 == 0;
            default -> count > 0;
        };
    }

    /** Whether the command runs in one transaction, given its operand count. */
    boolean transactional(int operands) {
        return switch (this) {
            case READ -> operands > 1;
            case WRITE -> operands > 2;
            case LS, WATCH -> false;
            default -> true;
        };
    }
}
