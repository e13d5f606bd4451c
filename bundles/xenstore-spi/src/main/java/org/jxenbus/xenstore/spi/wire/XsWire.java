package org.jxenbus.xenstore.spi.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Protocol constants and the header's encoding (xs_wire.h). */
public final class XsWire {

    /** {@code sizeof(struct xsd_sockmsg)}: type, req_id, tx_id, len as 32-bit host-order integers. */
    public static final int HEADER_SIZE = 16;

    /** {@code XENSTORE_PAYLOAD_MAX}: "Violating this is very bad" (xs_wire.h). */
    public static final int XENSTORE_PAYLOAD_MAX = 4096;

    /** Largest whole message: header plus the largest payload. */
    public static final int MESSAGE_MAX = HEADER_SIZE + XENSTORE_PAYLOAD_MAX;

    /**
     * Largest payload through Linux's {@code /dev/xen/xenbus}: header and payload share one 4096-byte buffer
     * (xenbus_dev_frontend.c).
     */
    public static final int XENBUS_DEVICE_PAYLOAD_MAX = XENSTORE_PAYLOAD_MAX - HEADER_SIZE;

    /** {@code XENSTORE_ABS_PATH_MAX}: longest absolute path. */
    public static final int XENSTORE_ABS_PATH_MAX = 3072;

    /** {@code XENSTORE_REL_PATH_MAX}: longest relative path. */
    public static final int XENSTORE_REL_PATH_MAX = 2048;

    /**
     * The header's byte order: the host's, as xs_wire.h has no conversion (little-endian on x86 and Arm).
     */
    public static final ByteOrder BYTE_ORDER = ByteOrder.nativeOrder();

    private XsWire() {
    }

    /** Writes {@code m}'s header and payload at {@code out}'s position, advancing it. */
    public static void encode(XsMessage m, ByteBuffer out) {
        ByteOrder saved = out.order();
        out.order(BYTE_ORDER);
        out.putInt(m.type()).putInt(m.reqId()).putInt(m.txId()).putInt(m.payload().length).put(m.payload());
        out.order(saved);
    }

    /** The message as one byte array: header then payload. */
    public static byte[] encode(XsMessage m) {
        ByteBuffer b = ByteBuffer.allocate(m.wireSize());
        encode(m, b);
        return b.array();
    }

    /**
     * Reads a header's payload length and checks it.
     *
     * @param header 16 bytes at its position (the position is not moved)
     * @throws MalformedMessageException if the length exceeds {@link #XENSTORE_PAYLOAD_MAX}
     */
    public static int payloadLength(ByteBuffer header) throws MalformedMessageException {
        int len = header.duplicate().order(BYTE_ORDER).getInt(header.position() + 12);
        if (Integer.compareUnsigned(len, XENSTORE_PAYLOAD_MAX) > 0) {
            throw new MalformedMessageException("header announces " + Integer.toUnsignedString(len)
                    + " payload bytes, more than XENSTORE_PAYLOAD_MAX " + XENSTORE_PAYLOAD_MAX);
        }
        return len;
    }

    /**
     * Decodes one whole message from exactly {@code bytes} (header plus payload).
     *
     * @throws MalformedMessageException if the array is shorter than a header, the length is too large, or
     *         the array's size disagrees with the header's length
     */
    public static XsMessage decode(byte[] bytes) throws MalformedMessageException {
        if (bytes.length < HEADER_SIZE) {
            throw new MalformedMessageException("short header: " + bytes.length + " of " + HEADER_SIZE + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(BYTE_ORDER);
        int len = payloadLength(b);
        if (bytes.length != HEADER_SIZE + len) {
            throw new MalformedMessageException("header announces " + len + " payload bytes but "
                    + (bytes.length - HEADER_SIZE) + " follow");
        }
        byte[] payload = new byte[len];
        System.arraycopy(bytes, HEADER_SIZE, payload, 0, len);
        return new XsMessage(b.getInt(0), b.getInt(4), b.getInt(8), payload);
    }
}
