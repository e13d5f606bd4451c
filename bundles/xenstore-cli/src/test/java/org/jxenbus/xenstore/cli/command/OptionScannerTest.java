package org.jxenbus.xenstore.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * GNU getopt_long over xenstore-utils' option string, against glibc 2.36's behaviour and messages as
 * docs/cli-compat.md §2 records them from the real tools.
 */
class OptionScannerTest {

    private final List<String> errors = new ArrayList<>();

    /** Scans {@code args} as xenstore-read would and describes the result: options, then operands. */
    private String scan(boolean posixlyCorrect, String... args) {
        OptionScanner s = new OptionScanner("xenstore-read", List.of(args), CommandLine.SHORT_OPTIONS,
                CommandLine.LONG_OPTIONS, posixlyCorrect, errors::add);
        StringBuilder b = new StringBuilder();
        for (int c = s.next(); c != OptionScanner.END; c = s.next()) {
            b.append((char) c);
            if (s.argument() != null) {
                b.append('=').append(s.argument());
            }
            b.append(' ');
        }
        return b.append(s.operands()).toString();
    }

    private String scan(String... args) {
        return scan(false, args);
    }

    @Test
    void permutesOptionsAfterOperands() {
        assertEquals("p [name]", scan("name", "-p"));
        assertEquals(List.of(), errors);
    }

    @Test
    void stopsAtTheFirstOperandWhenPosixlyCorrect() {
        assertEquals("[name, -p]", scan(true, "name", "-p"));
    }

    @Test
    void endsOptionsAtDoubleDashAndKeepsOperandOrder() {
        assertEquals("p [a, b, c, -d]", scan("a", "-p", "b", "--", "c", "-d"));
        assertEquals("[-p]", scan("--", "-p"));
    }

    @Test
    void takesALoneDashAsAnOperand() {
        assertEquals("[-]", scan("-"));
    }

    @Test
    void splitsClusteredShortOptions() {
        assertEquals("p R s [k]", scan("-pRs", "k"));
    }

    @Test
    void takesNumberAttachedOrSeparate() {
        assertEquals("n=2 n=3 n=-- [k]", scan("-n2", "-n", "3", "k", "-n", "--"));
    }

    @Test
    void reportsEachUnknownLetterOfACluster() {
        assertEquals("? ? ? [k]", scan("-xyz", "k"));
        assertEquals(List.of("xenstore-read: invalid option -- 'x'", "xenstore-read: invalid option -- 'y'",
                "xenstore-read: invalid option -- 'z'"), errors);
    }

    @Test
    void reportsAMissingShortArgument() {
        assertEquals("? []", scan("-n"));
        assertEquals(List.of("xenstore-read: option requires an argument -- 'n'"), errors);
    }

    @Test
    void acceptsUniqueAbbreviationsOfLongOptions() {
        assertEquals("p R t n=4 n=5 [k]", scan("--pre", "--raw", "--t", "--num=4", "k", "--number", "5"));
    }

    @Test
    void reportsAmbiguousAbbreviationsWithTheirPossibilities() {
        assertEquals("? []", scan("--r"));
        assertEquals(List.of("xenstore-read: option '--r' is ambiguous; possibilities: '--recurse' '--raw'"), errors);
    }

    @Test
    void reportsAnEmptyNameAsAmbiguousAmongAll() {
        assertEquals("? [/x]", scan("--=x", "/x"));
        assertEquals(List.of("xenstore-read: option '--=x' is ambiguous; possibilities: '--help' '--flat' "
                + "'--prefix' '--tidy' '--upto' '--recurse' '--number' '--raw'"), errors);
    }

    @Test
    void reportsUnrecognizedLongOptionsWithTheirValue() {
        assertEquals("? ? [/x, name]", scan("--bogus", "--connect=/x", "/x", "name"));
        assertEquals(List.of("xenstore-read: unrecognized option '--bogus'",
                "xenstore-read: unrecognized option '--connect=/x'"), errors);
    }

    @Test
    void reportsAnArgumentGivenToAFlagByItsFullName() {
        assertEquals("? [/x]", scan("--he=x", "/x"));
        assertEquals(List.of("xenstore-read: option '--help' doesn't allow an argument"), errors);
    }

    @Test
    void reportsAMissingLongArgumentByItsFullName() {
        assertEquals("? []", scan("--num"));
        assertEquals(List.of("xenstore-read: option '--number' requires an argument"), errors);
    }

    @Test
    void takesTheNextArgumentForALongOptionEvenIfItLooksLikeAnOption() {
        assertEquals("n=-p [k]", scan("--number", "-p", "k"));
    }

    @Test
    void treatsAColonAsAnUnknownLetter() {
        assertEquals("? []", scan("-:"));
        assertEquals(List.of("xenstore-read: invalid option -- ':'"), errors);
    }
}
