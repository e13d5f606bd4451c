package org.jxenbus.xenstore.spi.wire;

/**
 * The xenstore message types, numbered as in {@code enum xsd_sockmsg_type} (xs_wire.h). Number 20 (the
 * removed RESTRICT) is deliberately absent: it is invalid on the wire today.
 */
public enum XsMessageType {
    XS_CONTROL(0, Flags.PRIVILEGED),
    XS_DIRECTORY(1, Flags.IDEMPOTENT),
    XS_READ(2, Flags.IDEMPOTENT),
    XS_GET_PERMS(3, Flags.IDEMPOTENT),
    XS_WATCH(4, Flags.NO_TXID),
    XS_UNWATCH(5, Flags.NO_TXID),
    XS_TRANSACTION_START(6, 0),
    XS_TRANSACTION_END(7, 0),
    XS_INTRODUCE(8, Flags.PRIVILEGED),
    XS_RELEASE(9, Flags.PRIVILEGED),
    XS_GET_DOMAIN_PATH(10, Flags.IDEMPOTENT),
    XS_WRITE(11, 0),
    XS_MKDIR(12, 0),
    XS_RM(13, 0),
    XS_SET_PERMS(14, 0),
    /** Server to client only, unsolicited; its req_id and tx_id are 0. */
    XS_WATCH_EVENT(15, Flags.SERVER_ONLY),
    /** Server to client only: payload {@code E<NAME>\0}, req_id and tx_id of the failed request. */
    XS_ERROR(16, Flags.SERVER_ONLY),
    XS_IS_DOMAIN_INTRODUCED(17, Flags.PRIVILEGED | Flags.IDEMPOTENT),
    XS_RESUME(18, Flags.PRIVILEGED),
    XS_SET_TARGET(19, Flags.PRIVILEGED),
    /** Drops every watch and transaction of the connection. Never offered to API consumers. */
    XS_RESET_WATCHES(21, 0),
    /** Xen 4.9 and later. */
    XS_DIRECTORY_PART(22, Flags.IDEMPOTENT),
    /** Xen 4.21 and later. */
    XS_GET_FEATURE(23, Flags.IDEMPOTENT),
    /** Xen 4.21 and later. */
    XS_SET_FEATURE(24, Flags.PRIVILEGED),
    /** Xen 4.22 and later. */
    XS_GET_QUOTA(25, Flags.PRIVILEGED | Flags.IDEMPOTENT),
    /** Xen 4.22 and later. */
    XS_SET_QUOTA(26, Flags.PRIVILEGED);

    /** {@code XS_INVALID}: the type number xs_wire.h reserves as invalid. */
    public static final int XS_INVALID = 0xffff;

    private static final XsMessageType[] BY_CODE = new XsMessageType[27];

    static {
        for (XsMessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int flags;

    XsMessageType(int code, int flags) {
        this.code = code;
        this.flags = flags;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** Only privileged connections may send it (C xenstored {@code XS_FLAG_PRIV}). */
    public boolean privileged() {
        return (flags & Flags.PRIVILEGED) != 0;
    }

    /** The server ignores the header's tx_id for it (C xenstored {@code XS_FLAG_NOTID}). */
    public boolean ignoresTransaction() {
        return (flags & Flags.NO_TXID) != 0;
    }

    /** Repeating it changes nothing on the server, so a lost reply may be asked for again. */
    public boolean idempotent() {
        return (flags & Flags.IDEMPOTENT) != 0;
    }

    /** Only a server sends it. */
    public boolean serverOnly() {
        return (flags & Flags.SERVER_ONLY) != 0;
    }

    /** The type for a wire number, or {@code null} if the number names no type. */
    public static XsMessageType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** A name for any wire number, for messages and logs. */
    public static String nameOf(int code) {
        XsMessageType t = ofCode(code);
        return t != null ? t.name() : "type " + Integer.toUnsignedString(code);
    }

    private static final class Flags {
        static final int PRIVILEGED = 1;
        static final int NO_TXID = 2;
        static final int IDEMPOTENT = 4;
        static final int SERVER_ONLY = 8;
    }
}
