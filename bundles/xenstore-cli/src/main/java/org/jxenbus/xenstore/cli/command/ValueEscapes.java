package org.jxenbus.xenstore.cli.command;

import java.io.ByteArrayOutputStream;

/**
 * The value escaping of xenstore-utils 4.17 (xs_lib.c): {@link #escape} is {@code sanitise_value}, used to
 * print values; {@link #unescape} is {@code unsanitise_value}, used on the values given to {@code write}.
 * Both work on bytes, never on characters. Stateless and thread-safe.
 */
final class ValueEscapes {

    private ValueEscapes() {
    }

    /**
     * Printable ASCII other than the backslash stays; TAB, LF, CR and backslash become {@code \t \n \r \\};
     * bytes 0-7 become three octal digits ({@code \000}); every other byte becomes {@code \x} and two
     * lowercase hex digits ({@code \x08 \x1f \x7f \xff}).
     *
     * @return printable ASCII
     */
    static byte[] escape(byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 8);
        for (byte b : value) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '\\') {
                out.write(c);
                continue;
            }
            out.write('\\');
            switch (c) {
                case '\t' -> out.write('t');
                case '\n' -> out.write('n');
                case '\r' -> out.write('r');
                case '\\' -> out.write('\\');
                default -> {
                    String code = c < 0x08 ? String.format("%03o", c) : String.format("x%02x", c);
                    out.writeBytes(code.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * Reads {@code \t \n \r \\}; {@code \x} followed by what {@code sscanf("%2x")} accepts (one or two hex
     * digits, after optional blanks, a sign or a {@code 0x}); {@code \0}-{@code \7} starting up to three octal
     * digits; any other escaped byte stands for itself; a lone trailing backslash adds a NUL byte. Numbers are
     * cut to their low byte. {@code input} is a C string: it has no NUL bytes.
     */
    static byte[] unescape(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + 1);
        int i = 0;
        while (i < input.length) {
            int c = input[i++] & 0xff;
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (i == input.length) {
                out.write(0);
                break;
            }
            c = input[i++] & 0xff;
            switch (c) {
                case 't' -> out.write('\t');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 'x' -> {
                    ScannedNumber hex = ScannedNumber.scan(input, i, 2, 16);
                    out.write(hex == null ? 'x' : hex.value());
                    i += hex == null ? 0 : hex.length();
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    ScannedNumber octal = ScannedNumber.scan(input, i - 1, 3, 8);
                    out.write(octal.value());
                    i += octal.length() - 1;
                }
                default -> out.write(c);
            }
        }
        return out.toByteArray();
    }

    /**
     * What glibc's {@code sscanf} takes for {@code %<width>x} or {@code %<width>o} followed by {@code %n}.
     *
     * @param value the number read (possibly negative)
     * @param length the bytes consumed, leading blanks included
     */
    record ScannedNumber(int value, int length) {

        /**
         * Scans at {@code start}: white space (not counted in the width), an optional sign, for base 16 an
         * optional {@code 0x}/{@code 0X} after a leading 0, then digits, all within {@code width} bytes.
         *
         * @return the number, or {@code null} when no digit was found (the conversion fails)
         */
        static ScannedNumber scan(byte[] s, int start, int width, int base) {
            int i = start;
            while (i < s.length && CNumbers.isSpace(s[i] & 0xff)) {
                i++;
            }
            int left = width;
            boolean negative = false;
            if (i < s.length && (s[i] == '+' || s[i] == '-')) {
                negative = s[i] == '-';
                i++;
                left--;
            }
            int digits = 0;
            long value = 0;
            if (base == 16 && left > 0 && i < s.length && s[i] == '0') {
                i++;
                left--;
                digits++;
                if (left > 0 && i < s.length && (s[i] == 'x' || s[i] == 'X')) {
                    i++;
                    left--;
                }
            }
            for (; left > 0 && i < s.length && Character.digit(s[i], base) >= 0; i++, left--) {
                value = value * base + Character.digit(s[i], base);
                digits++;
            }
            if (digits == 0) {
                return null;
            }
            return new ScannedNumber((int) (negative ? -value : value), i - start);
        }
    }
}
