package org.jxenbus.xenstore.cli.command;

/**
 * What the options of one command line asked for. Defaults are those of xenstore-utils: no flag set, watch
 * without limit. Not thread-safe: filled while the command line is read, then only read.
 */
final class CommandOptions {

    /** {@code -p}: prefix output with the key (read, list, perms) or show permissions (ls). */
    boolean prefix;
    /** {@code -R}: values unescaped (read) or not unescaped (write). */
    boolean raw;
    /** {@code -f}: ls prints whole paths. */
    boolean flat;
    /** {@code -t}: rm also removes parents left empty. */
    boolean tidy;
    /** {@code -u}: chmod also changes every parent. */
    boolean upto;
    /** {@code -r}: chmod also changes every descendant. */
    boolean recurse;
    /** {@code -n}: watch events to print; -1 for no limit, other negative values print none. */
    int watchLimit = -1;

    /** Records option {@code letter}, with its argument for {@code -n}. */
    void set(char letter, String argument) {
        switch (letter) {
            case 'p' -> prefix = true;
            case 'R' -> raw = true;
            case 'f' -> flat = true;
            case 't' -> tidy = true;
            case 'u' -> upto = true;
            case 'r' -> recurse = true;
            case 'n' -> watchLimit = CNumbers.atoi(argument);
            default -> throw new IllegalArgumentException("not an option letter: " + letter);
        }
    }
}
