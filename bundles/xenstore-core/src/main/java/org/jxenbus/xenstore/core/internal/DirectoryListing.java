package org.jxenbus.xenstore.core.internal;

import java.util.ArrayList;
import java.util.List;

import org.jxenbus.xenstore.api.ConflictException;
import org.jxenbus.xenstore.api.TooBigException;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * One directory listing, as libxenstore's {@code xs_directory} does it: DIRECTORY first; if the server
 * answers E2BIG (the list exceeds one reply), DIRECTORY_PART from offset 0, restarting from 0 whenever
 * the node's generation count changes between parts; ENOSYS to DIRECTORY_PART (a server before Xen 4.9)
 * becomes E2BIG. One {@link RequestFuture} follows each request in turn, so cancelling it stops the
 * listing wherever it is.
 */
final class DirectoryListing {

    /** Restarts allowed before a listing that keeps changing gives up. */
    static final int MAX_RESTARTS = 64;

    private final AsyncOperations ops;
    private final String path;
    private final RequestFuture<List<String>> result = new RequestFuture<>();
    private final List<String> names = new ArrayList<>();
    private String generation;
    private int offset;
    private int restarts;

    DirectoryListing(AsyncOperations ops, String path) {
        this.ops = ops;
        this.path = path;
    }

    RequestFuture<List<String>> start() {
        String d = "DIRECTORY " + path;
        PendingRequest r = ops.send(XsMessageType.XS_DIRECTORY, Payloads.strings(path), d,
                PendingRequest.Settlement.NONE);
        result.follow(r);
        r.reply.whenComplete((m, t) -> {
            if (t == null) {
                complete(() -> Replies.names(m, d));
            } else if (Futures.unwrap(t) instanceof TooBigException) {
                nextPart();
            } else {
                result.completeExceptionally(Futures.unwrap(t));
            }
        });
        return result;
    }

    private void nextPart() {
        if (result.isDone()) {
            return;
        }
        String d = "DIRECTORY_PART " + path + " offset " + offset;
        PendingRequest r;
        try {
            r = ops.send(XsMessageType.XS_DIRECTORY_PART, Payloads.strings(path, Integer.toString(offset)), d,
                    PendingRequest.Settlement.NONE);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        result.follow(r);
        r.reply.whenComplete((m, t) -> {
            if (t != null) {
                failed(Futures.unwrap(t));
            } else {
                part(m, d);
            }
        });
    }

    private void failed(Throwable cause) {
        if (cause instanceof XenstoreException x && "ENOSYS".equals(x.errorName())) {
            result.completeExceptionally(new TooBigException("DIRECTORY " + path
                    + ": the list exceeds one reply and the server has no DIRECTORY_PART", "E2BIG", x));
        } else {
            result.completeExceptionally(cause);
        }
    }

    private void part(XsMessage m, String description) {
        Payloads.DirectoryPart part;
        try {
            part = Replies.directoryPart(m, description);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        if (offset > 0 && !part.generation().equals(generation)) {
            if (++restarts > MAX_RESTARTS) {
                result.completeExceptionally(new ConflictException("DIRECTORY " + path
                        + ": the node changed during each of " + MAX_RESTARTS + " listings", null));
                return;
            }
            names.clear();
            offset = 0;
            generation = null;
            nextPart();
            return;
        }
        generation = part.generation();
        names.addAll(part.children());
        offset += part.childBytes();
        if (part.last()) {
            result.complete(List.copyOf(names));
        } else {
            nextPart();
        }
    }

    private void complete(java.util.function.Supplier<List<String>> names) {
        try {
            result.complete(names.get());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }
}
