package org.jxenbus.xenstore.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command's arguments as the bytes the shell passed. The JVM decodes {@code argv} with the platform
 * charset, which loses bytes that do not decode (a Latin-1 {@code é} under UTF-8); Linux keeps the
 * original bytes in {@code /proc/self/cmdline}, whose last entries are the program's arguments. They are
 * used when each one decodes to exactly the argument the JVM gave; otherwise the JVM's arguments are
 * encoded back, which is exact for everything the platform charset can represent.
 *
 * <p>The result is byte strings: one char per byte (ISO-8859-1). Stateless and thread-safe.
 */
final class RawArguments {

    private static final Path CMDLINE = Path.of("/proc/self/cmdline");

    private RawArguments() {
    }

    /** The arguments of this process as byte strings. */
    static List<String> of(String[] args) {
        Charset platform = platformCharset();
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(CMDLINE);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            cmdline = new byte[0];
        }
        return of(args, cmdline, platform);
    }

    /**
     * The arguments as byte strings, taken from {@code cmdline} (NUL-terminated entries) when its last entries
     * match {@code args} decoded with {@code platform}.
     */
    static List<String> of(String[] args, byte[] cmdline, Charset platform) {
        List<byte[]> entries = entries(cmdline);
        List<String> result = new ArrayList<>(args.length);
        int first = entries.size() - args.length;
        for (int i = 0; i < args.length; i++) {
            byte[] raw = first >= 0 ? entries.get(first + i) : null;
            if (raw == null || !new String(raw, platform).equals(args[i])) {
                return encoded(args, platform);
            }
            result.add(new String(raw, StandardCharsets.ISO_8859_1));
        }
        return result;
    }

    private static List<String> encoded(String[] args, Charset platform) {
        List<String> result = new ArrayList<>(args.length);
        for (String a : args) {
            result.add(new String(a.getBytes(platform), StandardCharsets.ISO_8859_1));
        }
        return result;
    }

    private static List<byte[]> entries(byte[] cmdline) {
        List<byte[]> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                byte[] entry = new byte[i - start];
                System.arraycopy(cmdline, start, entry, 0, entry.length);
                entries.add(entry);
                start = i + 1;
            }
        }
        return entries;
    }

    /** The charset the JVM decoded {@code argv} with. */
    private static Charset platformCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }
}
