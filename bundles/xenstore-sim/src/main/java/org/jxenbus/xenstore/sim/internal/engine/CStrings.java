package org.jxenbus.xenstore.sim.internal.engine;

import java.nio.charset.StandardCharsets;

/**
 * A request payload read the way xenstored's C code reads it: NUL-terminated strings ({@code get_string},
 * {@code get_strings}, {@code onearg}, {@code xs_count_strings}) and numbers ({@code atoi}, {@code strtol}).
 * Text is ISO-8859-1, one char per byte, so any byte a client sends survives unchanged.
 */
final class CStrings {

    private CStrings() {
    }

    /** Bytes as text, one char per byte. */
    static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Text as bytes, one byte per char. */
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Each string followed by its NUL. */
    static byte[] nulTerminated(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(p).append('\0');
        }
        return bytes(b.toString());
    }

    /** {@code get_string}: the length, NUL included, of the string at {@code offset}; 0 if it has no NUL. */
    static int stringLength(byte[] b, int offset) {
        for (int i = offset; i < b.length; i++) {
            if (b[i] == 0) {
                return i - offset + 1;
            }
        }
        return 0;
    }

    /** The NUL-terminated string at {@code offset}, or {@code null} if it has no NUL. */
    static String stringAt(byte[] b, int offset) {
        int len = stringLength(b, offset);
        return len == 0 ? null : text(b, offset, offset + len - 1);
    }

    /** The C string at {@code offset}: up to its NUL, or to the end of the payload if it has none. */
    static String cString(byte[] b, int offset) {
        int end = offset;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return text(b, offset, end);
    }

    /**
     * {@code get_strings}: the NUL-terminated strings from the start (bytes after the last NUL ignored).
     *
     * @param max how many to return at most
     * @return the strings, at most {@code max}; {@link #count} tells how many there were in all
     */
    static Strings strings(byte[] b, int max) {
        String[] found = new String[max];
        int count = 0;
        int off = 0;
        int len;
        while ((len = stringLength(b, off)) != 0) {
            if (count < max) {
                found[count] = text(b, off, off + len - 1);
            }
            count++;
            off += len;
        }
        return new Strings(found, count);
    }

    /** The result of {@link #strings}: the first strings and the total number of NUL-terminated strings. */
    record Strings(String[] first, int count) {
        String get(int i) {
            return first[i];
        }
    }

    /** {@code onearg}: the only argument, or {@code null} unless the payload is exactly one string and its NUL. */
    static String oneArg(byte[] b) {
        if (b.length == 0 || stringLength(b, 0) != b.length) {
            return null;
        }
        return text(b, 0, b.length - 1);
    }

    /** {@code xs_count_strings}: the number of NUL bytes. */
    static int countNuls(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (x == 0) {
                n++;
            }
        }
        return n;
    }

    /** glibc {@code atoi}: {@code (int) strtol(s, NULL, 10)}. */
    static int atoi(String s) {
        return (int) strtol(s, 10).value;
    }

    /**
     * glibc {@code strtol} on 64-bit Linux: leading white space, a sign, digits in {@code base} (0: a
     * {@code 0x} prefix means 16, a leading 0 means 8, else 10); saturates at the {@code long} range.
     *
     * @return the value and the index of the first character not used ({@code end}; 0 if no digits)
     */
    static Parsed strtol(String s, int base) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = base;
        if ((radix == 0 || radix == 16) && i + 1 < n && s.charAt(i) == '0'
                && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X') && i + 2 < n
                && Character.digit(s.charAt(i + 2), 16) >= 0) {
            radix = 16;
            i += 2;
        } else if (radix == 0) {
            radix = i < n && s.charAt(i) == '0' ? 8 : 10;
        }
        int start = i;
        boolean overflow = false;
        long value = 0;
        while (i < n) {
            int d = digit(s.charAt(i), radix);
            if (d < 0) {
                break;
            }
            if (!overflow) {
                long next = value * radix + d;
                if (value > (Long.MAX_VALUE - d) / radix) {
                    overflow = true;
                } else {
                    value = next;
                }
            }
            i++;
        }
        if (i == start) {
            // "0x" with no hex digit is handled above; "0" alone parses as a digit.
            return new Parsed(0, 0);
        }
        if (overflow) {
            return new Parsed(negative ? Long.MIN_VALUE : Long.MAX_VALUE, i);
        }
        return new Parsed(negative ? -value : value, i);
    }

    /** A number parsed from text and where parsing stopped. */
    record Parsed(long value, int end) {
    }

    private static int digit(char c, int radix) {
        if (c > 0x7f) {
            return -1;
        }
        return Character.digit(c, radix);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }
}
