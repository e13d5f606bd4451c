package org.jxenbus.distribution;

import java.util.ArrayList;
import java.util.List;

/**
 * The store every parity case starts from, built with the real tools so both sides see the same nodes in
 * the same (creation) order. Under {@code /p}: values with every kind of byte, long values and a long name
 * for ls's truncation, nested subtrees, permissions, and a child path one byte longer than chmod's path
 * buffer; under {@code /local/domain/0/rp} (relative path {@code rp}): nodes for relative paths.
 */
final class Fixture {

    /** The subtrees a run may change, and whose state is compared afterwards. */
    static final List<String> ROOTS = List.of("/p", "/local");

    /** A 91-character name: cut to 72 by ls at width 80. */
    static final String LONG_NAME = "a".repeat(91);

    private Fixture() {
    }

    /** The real-tool command lines that clear the roots and build the fixture, in order. */
    static List<List<String>> commands() {
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("xenstore-rm", "/p", "/local"));
        commands.add(List.of("xenstore-write",
                "/p/esc", "a\\\\b\\tc\\nd\\re\\000f\\001g\\007h\\x08i\\x0bj\\x1fk\\x7fl\\x80m\\xffn\"o'p ",
                "/p/empty", "",
                "/p/long", "x".repeat(100),
                "/p/long72", "y".repeat(72),
                "/p/long69", "y".repeat(69),
                "/p/long62", "y".repeat(62),
                "/p/esc_long", "\\001".repeat(30),
                "/p/all", everyByte(),
                "/p/" + LONG_NAME, "v",
                "/p/sub/deep/leaf", "leafval",
                "/p/c/a/b/c", "1",
                "/p/c/a/d", "2",
                "/p/c/e", "3",
                "/p/u/a/b/c", "",
                "/p/t", "kept",
                "/p/t/x", "1",
                "/p/w", "watched",
                "/p/perm/kid", "2",
                "/p/z/" + "n".repeat(245) + "/child", "beyond chmod's 255-byte path buffer",
                "/local/domain/0/rp/name", "Domain-0",
                "/local/domain/0/rp/gone/leaf", "x"));
        commands.add(List.of("xenstore-chmod", "/p/c/a/b", "n0", "b1", "r2"));
        commands.add(List.of("xenstore-chmod", "/p/perm", "r0", "n5", "w7", "b8"));
        return commands;
    }

    /** Bytes 0x00 to 0xff, as escapes xenstore-write reads. */
    private static String everyByte() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            b.append(String.format("\\x%02x", i));
        }
        return b.toString();
    }
}
