package org.jxenbus.xenstore.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jxenbus.xenstore.api.ConflictException;
import org.jxenbus.xenstore.api.TooBigException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * One directory listing, as libxenstore's {@code xs_directory} does it: DIRECTORY first; if the server
 * answers E2BIG (the list exceeds one reply), DIRECTORY_PART from offset 0, restarting from 0 whenever
 * the node's generation count changes between parts; ENOSYS to DIRECTORY_PART (a server before Xen 4.9)
 * becomes E2BIG.
 */
final class DirectoryListing {

    /** Restarts allowed before a listing that keeps changing gives up. */
    static final int MAX_RESTARTS = 64;

    private final AsyncOperations ops;
    private final String path;
    private final List<String> names = new ArrayList<>();
    private String generation;
    private int offset;
    private int restarts;

    DirectoryListing(AsyncOperations ops, String path) {
        this.ops = ops;
        this.path = path;
    }

    CompletableFuture<List<String>> start() {
        String d = "DIRECTORY " + path;
        return ops.request(XsMessageType.XS_DIRECTORY, path).handle((m, t) -> {
            if (t == null) {
                return CompletableFuture.completedFuture(Replies.names(m, d));
            }
            Throwable cause = Futures.unwrap(t);
            if (cause instanceof TooBigException) {
                return nextPart();
            }
            return CompletableFuture.<List<String>>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<List<String>> nextPart() {
        String d = "DIRECTORY_PART " + path + " offset " + offset;
        byte[] payload = Payloads.strings(path, Integer.toString(offset));
        return ops.send(XsMessageType.XS_DIRECTORY_PART, payload, d).handle((m, t) -> {
            if (t != null) {
                Throwable cause = Futures.unwrap(t);
                if (cause instanceof org.jxenbus.xenstore.api.XenstoreException x && "ENOSYS".equals(x.errorName())) {
                    return CompletableFuture.<List<String>>failedFuture(new TooBigException("DIRECTORY " + path
                            + ": the list exceeds one reply and the server has no DIRECTORY_PART", "E2BIG", x));
                }
                return CompletableFuture.<List<String>>failedFuture(cause);
            }
            Payloads.DirectoryPart part = Replies.directoryPart(m, d);
            if (offset > 0 && !part.generation().equals(generation)) {
                if (++restarts > MAX_RESTARTS) {
                    return CompletableFuture.<List<String>>failedFuture(new ConflictException("DIRECTORY " + path
                            + ": the node changed during each of " + MAX_RESTARTS + " listings", null));
                }
                names.clear();
                offset = 0;
                generation = null;
                return nextPart();
            }
            generation = part.generation();
            names.addAll(part.children());
            offset += part.childBytes();
            return part.last() ? CompletableFuture.completedFuture(List.copyOf(names)) : nextPart();
        }).thenCompose(f -> f);
    }
}
