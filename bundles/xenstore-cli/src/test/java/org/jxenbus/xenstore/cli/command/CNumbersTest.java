package org.jxenbus.xenstore.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** glibc's atoi, as chmod's domain ids and watch's -n use it (docs/cli-compat.md §12, §13). */
class CNumbersTest {

    @ParameterizedTest(name = "atoi(\"{0}\") = {1}")
    @CsvSource(quoteCharacter = '`', value = {
        "``, 0", "foo, 0", "5, 5", "-1, -1", "+7, 7", "`  12`, 12", "`\t3x`, 3", "12abc, 12", "abc, 0",
        "4294967295, -1", "4294967296, 0", "2147483648, -2147483648", "99999999999999999999, -1",
        "-99999999999999999999, 0", "- 1, 0",
    })
    void convertsAsGlibcDoes(String text, int expected) {
        assertEquals(expected, CNumbers.atoi(text));
    }
}
