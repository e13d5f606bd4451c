package org.jxenbus.itests.sim;

import java.nio.charset.StandardCharsets;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * One request of a generated sequence: which client sends it (S1, S2: privileged sockets; D0: dom0's
 * ring; G1..G4: guests' rings), the header's type and transaction id, and the payload. Printed as
 * {@code G2 WRITE tx=3 "data/k|hello"} (NUL as {@code |}).
 */
record Op(String conn, int type, int txId, byte[] payload) {

    XsMessage message(int reqId) {
        return new XsMessage(type, reqId, txId, payload);
    }

    /** The guest's domain id for G1..G4, 0 for D0, -1 for sockets. */
    int domid() {
        return conn.startsWith("G") ? conn.charAt(1) - '0' : conn.equals("D0") ? 0 : -1;
    }

    @Override
    public String toString() {
        return conn + " " + XsMessageType.nameOf(type) + (txId != 0 ? " tx=" + Integer.toUnsignedString(txId) : "")
                + " \"" + printable(payload) + "\"";
    }

    static String printable(byte[] b) {
        return printable(b, 120);
    }

    static String printable(byte[] b, int max) {
        StringBuilder s = new StringBuilder();
        int n = Math.min(b.length, max);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c == 0) {
                s.append('|');
            } else if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        if (b.length > n) {
            s.append("...(").append(b.length).append(" bytes)");
        }
        return s.toString();
    }

    static byte[] strings(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(p).append('\0');
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] pathValue(String path, byte[] value) {
        byte[] p = path.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[p.length + 1 + value.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(value, 0, out, p.length + 1, value.length);
        return out;
    }
}
