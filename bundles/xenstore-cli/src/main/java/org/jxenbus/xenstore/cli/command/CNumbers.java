package org.jxenbus.xenstore.cli.command;

/**
 * C's {@code atoi} as glibc implements it, {@code (int) strtol(s, NULL, 10)}: leading white space, an
 * optional sign, decimal digits up to the first other character; none gives 0. Out-of-range values clamp to
 * the 64-bit {@code long} range and are then cut to 32 bits, so {@code 4294967295} gives -1. Stateless.
 */
final class CNumbers {

    private CNumbers() {
    }

    /** {@code atoi(text)}. */
    static int atoi(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && isSpace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        long magnitude = 0;
        boolean overflow = false;
        for (; i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
            int digit = text.charAt(i) - '0';
            if (magnitude > (Long.MAX_VALUE - digit) / 10) {
                overflow = true;
            } else {
                magnitude = magnitude * 10 + digit;
            }
        }
        long value;
        if (overflow) {
            value = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        } else {
            value = negative ? -magnitude : magnitude;
        }
        return (int) value;
    }

    /** C's {@code isspace} in the C locale. */
    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
