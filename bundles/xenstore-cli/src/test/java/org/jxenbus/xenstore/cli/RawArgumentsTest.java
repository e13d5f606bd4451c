package org.jxenbus.xenstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Recovering argument bytes the JVM's decoding lost, from /proc/self/cmdline's layout. */
class RawArgumentsTest {

    private static byte[] cmdline(String... entries) {
        StringBuilder b = new StringBuilder();
        for (String e : entries) {
            b.append(e).append('\0');
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void takesTheBytesOfTheLastEntriesWhenTheyDecodeToTheArguments() {
        byte[] line = cmdline("java", "-m", "m/Main", "write", "-R", "/k", "\u00e9");
        List<String> args = RawArguments.of(new String[] {"write", "-R", "/k", "\ufffd"}, line, StandardCharsets.UTF_8);
        assertEquals(List.of("write", "-R", "/k", "\u00e9"), args);
    }

    @Test
    void keepsEmptyArguments() {
        byte[] line = cmdline("java", "Main", "write", "/k", "");
        assertEquals(List.of("write", "/k", ""), RawArguments.of(new String[] {"write", "/k", ""}, line,
                StandardCharsets.UTF_8));
    }

    @Test
    void encodesTheJvmArgumentsWhenTheCommandLineDoesNotMatch() {
        byte[] line = cmdline("java", "Main", "other");
        assertEquals(List.of("\u00c3\u00a9"), RawArguments.of(new String[] {"\u00e9"}, line, StandardCharsets.UTF_8));
    }

    @Test
    void encodesTheJvmArgumentsWithoutACommandLine() {
        assertEquals(List.of("a", "b"), RawArguments.of(new String[] {"a", "b"}, new byte[0], StandardCharsets.UTF_8));
    }
}
