package org.jxenbus.distribution;

/**
 * What one run of a tool produced, and the store it left behind.
 *
 * @param status the exit status
 * @param stdout standard output's bytes
 * @param stderr standard error's bytes
 * @param state the fixture's subtrees afterwards, as the real {@code xenstore-ls -f -p} shows them
 */
record Outcome(int status, byte[] stdout, byte[] stderr, String state) {

    /**
     * Everything, bytes made visible without loss (so equal descriptions mean equal bytes), for assertions
     * whose failure message shows the difference.
     */
    String describe() {
        return "exit status: " + status + "\nstdout: " + visible(stdout) + "\nstderr: " + visible(stderr)
                + "\nstore afterwards:\n" + state;
    }

    /** Bytes as text: printable ASCII stays (backslash doubled), newlines as {@code \n} plus a line break. */
    static String visible(byte[] bytes) {
        StringBuilder b = new StringBuilder("\"");
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\n') {
                b.append("\\n\n        ");
            } else if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        return b.append('"').toString();
    }
}
