package org.jxenbus.xenstore.core.internal;

import java.util.ArrayList;
import java.util.List;

import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * What the connection sends on a new server session, before anything else: RESET_WATCHES where the server
 * may still hold an earlier client's state for this connection (a ring), then WATCH again for every watch
 * the server acknowledged before (same token; its initial fire covers what was missed).
 */
final class SessionRestore {

    private SessionRestore() {
    }

    /** The requests to put first in the queue, in order. */
    static List<PendingRequest> requests(boolean resetFirst, List<WatchRouter.Entry> watches, long timeoutNanos,
            PendingRequest.Settlement onWatchFailure) {
        List<PendingRequest> out = new ArrayList<>();
        long now = System.nanoTime();
        if (resetFirst) {
            out.add(internal(XsMessageType.XS_RESET_WATCHES, Payloads.strings(""), "RESET_WATCHES on a new session",
                    now, timeoutNanos, PendingRequest.Settlement.NONE));
        }
        for (WatchRouter.Entry w : watches) {
            out.add(internal(XsMessageType.XS_WATCH, Payloads.strings(w.path(), w.token()), "WATCH " + w.path()
                    + " again on a new session", now, timeoutNanos, onWatchFailure));
        }
        return out;
    }

    private static PendingRequest internal(XsMessageType type, byte[] payload, String description, long now,
            long timeoutNanos, PendingRequest.Settlement settlement) {
        return new PendingRequest(type, 0, 0, 0, true, payload, description, now, timeoutNanos, false, settlement);
    }
}
