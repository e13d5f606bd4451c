package org.jxenbus.xenstore.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The escaping of values, against what Debian's xenstore-utils 4.17 did with the same bytes
 * (docs/cli-compat.md §4 and §5; the unescaping table was taken by writing each input with the real
 * xenstore-write and reading it back with xenstore-read).
 */
class ValueEscapesTest {

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void escapesEveryClassOfByteAsTheDocumentedRunShows() {
        byte[] value = {'a', '\\', 'b', '\t', 'c', '\n', 'd', '\r', 'e', 0x00, 'f', 0x01, 'g', 0x07, 'h', 0x08,
            'i', 0x0b, 'j', 0x1f, 'k', 0x7f, 'l', (byte) 0x80, 'm', (byte) 0xff, 'n', '"', 'o', '\'', 'p', ' '};
        assertEquals("a\\\\b\\tc\\nd\\re\\000f\\001g\\007h\\x08i\\x0bj\\x1fk\\x7fl\\x80m\\xffn\"o'p ",
                text(ValueEscapes.escape(value)));
    }

    @Test
    void escapesEachByteOfUtf8Separately() {
        assertEquals("\\xc3\\xa9", text(ValueEscapes.escape("é".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void escapesNothingInPrintableAscii() {
        String printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
        assertEquals(printable, text(ValueEscapes.escape(latin1(printable))));
    }

    @Test
    void escapesTheEmptyValueAsEmpty() {
        assertArrayEquals(new byte[0], ValueEscapes.escape(new byte[0]));
    }

    /** input as typed (Java escapes only for the shell's TAB/LF), expected as xenstore-read then printed it. */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "x\\ty\\x41\\101\\\\z\\q\\ | x\\tyAA\\\\zq\\000",
        "\\x4    | \\004",
        "\\x4g   | \\004g",
        "\\xzz   | xzz",
        "\\08    | \\0008",
        "\\777   | \\xff",
        "\\8     | 8",
        "\\x0xZ  | \\000Z",
        "\\x0X41 | \\00041",
        "\\x-1   | \\xff",
        "\\x+f   | \\x0f",
        "\\x-    | x-",
        "`\\x 4` | \\004",
        "`\\x  ` | `x  `",
        "`\\x g` | `x g`",
        "\\x0    | \\000",
        "\\x00   | \\000",
        "\\x0g   | \\000g",
        "\\x-0x  | \\000x",
        "\\x-f   | \\xf1",
        "\\1234  | S4",
        "\\x123  | \\x123",
        "\\xFF   | \\xff",
        "\\xfF   | \\xff",
        "\\      | \\000",
        "a\\     | a\\000",
        "\\\\\\  | \\\\\\000",
        "\\x+    | x+",
        "\\x+0x  | \\000x",
        "\\x0-   | \\000-",
        "\\n\\r\\t | \\n\\r\\t",
        "\\101   | A",
    })
    void unescapesAsTheRealWriteDid(String typed, String readBack) {
        assertEquals(readBack, text(ValueEscapes.escape(ValueEscapes.unescape(latin1(typed)))));
    }

    @Test
    void unescapesAfterWhiteSpaceOtherThanBlank() {
        assertEquals("\\005", text(ValueEscapes.escape(ValueEscapes.unescape(latin1("\\x\t5")))));
        assertEquals("\\007", text(ValueEscapes.escape(ValueEscapes.unescape(latin1("\\x\n7")))));
    }

    @Test
    void unescapesTheEmptyArgumentToTheEmptyValue() {
        assertArrayEquals(new byte[0], ValueEscapes.unescape(new byte[0]));
    }

    @Test
    void keepsHighBytesOfTheArgument() {
        assertArrayEquals(new byte[] {(byte) 0xe9, 'x'}, ValueEscapes.unescape(new byte[] {(byte) 0xe9, 'x'}));
        assertArrayEquals(new byte[] {(byte) 0xe9}, ValueEscapes.unescape(new byte[] {'\\', (byte) 0xe9}));
    }

    @Test
    void readsBackWhatItEscapesForEveryByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertArrayEquals(all, ValueEscapes.unescape(ValueEscapes.escape(all)));
    }
}
