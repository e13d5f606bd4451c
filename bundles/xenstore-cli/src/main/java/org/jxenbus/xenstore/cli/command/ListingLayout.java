package org.jxenbus.xenstore.cli.command;

import java.util.OptionalInt;

/**
 * xenstore-ls's line geometry, with C's arithmetic kept exactly: names and values are cut to fit
 * {@code maxWidth} columns, and with {@code -p} dots lead the eye to the permissions up to
 * {@code desiredWidth}.
 *
 * <p>Widths: 80 and 60 by default; {@code -f} makes them {@code INT_MAX/2} and 0; when standard output is a
 * terminal its width less 2 replaces {@code maxWidth}, overriding {@code -f}'s. A negative {@code maxWidth}
 * (a terminal 0 or 1 columns wide) never truncates. Immutable.
 *
 * @param maxWidth the column limit
 * @param desiredWidth where the dots stop
 * @param wholePath whether each line starts with the whole path instead of an indented name ({@code -f})
 */
record ListingLayout(int maxWidth, int desiredWidth, boolean wholePath) {

    /** {@code strlen(" = \"...\"")}: the room kept for a truncated value's decoration. */
    static final int TAG_LEN = 8;

    /**
     * @param flat whether {@code -f} was given
     * @param terminalColumns standard output's width, when it is a terminal
     */
    static ListingLayout of(boolean flat, OptionalInt terminalColumns) {
        int max = flat ? Integer.MAX_VALUE / 2 : 80;
        int desired = flat ? 0 : 60;
        if (terminalColumns.isPresent()) {
            max = terminalColumns.getAsInt() - 2;
        }
        return new ListingLayout(max, desired, flat);
    }

    /** The room {@code printf("%.*s")} gets for a name or value starting at {@code column}; negative: all. */
    int room(int column) {
        return maxWidth - TAG_LEN - column;
    }

    /**
     * Whether a value of {@code length} raw bytes starting at {@code column} is cut: C compares as
     * {@code size_t}, so a negative {@code maxWidth} never cuts, and the raw length counts, not the escaped.
     */
    boolean truncates(int column, int length) {
        return maxWidth >= 0 && maxWidth < (long) column + length + TAG_LEN;
    }

    /** Where the dots after a value stop (exclusive). */
    int dotsEnd() {
        return Math.min(desiredWidth, maxWidth);
    }

    /** {@code printf("%.*s", precision, text)}: at most {@code precision} chars, all when negative. */
    static String clip(String text, int precision) {
        return precision < 0 || precision >= text.length() ? text : text.substring(0, precision);
    }
}
