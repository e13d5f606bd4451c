package org.jxenbus.xenstore.api;

/**
 * The device handshake states a frontend and a backend publish in their {@code state} nodes
 * ({@code enum xenbus_state}, xen/include/public/io/xenbus.h).
 */
public enum XenbusState {
    /** 0: no state node, or unreadable. */
    UNKNOWN,
    /** 1: the toolstack created the device. */
    INITIALISING,
    /** 2: the backend published its features and waits for the frontend. */
    INIT_WAIT,
    /** 3: the frontend published its ring and event channel. */
    INITIALISED,
    /** 4: both ends talk. */
    CONNECTED,
    /** 5: going away. */
    CLOSING,
    /** 6: gone. */
    CLOSED,
    /** 7: being reconfigured. */
    RECONFIGURING,
    /** 8: reconfigured. */
    RECONFIGURED;

    /** The number written in the {@code state} node. */
    public int code() {
        return ordinal();
    }

    /** The state for a number; anything unknown, like Linux's reader, is {@link #UNKNOWN}. */
    public static XenbusState ofCode(int code) {
        XenbusState[] all = values();
        return code >= 0 && code < all.length ? all[code] : UNKNOWN;
    }

    /** Parses a {@code state} node's value; unparsable text is {@link #UNKNOWN}. */
    public static XenbusState parse(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        try {
            return ofCode(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }
}
