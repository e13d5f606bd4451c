package org.jxenbus.xenstore.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.jxenbus.xenstore.api.AsyncXenstoreOperations;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.TooBigException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XenstorePaths;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * The verbs as requests carrying one transaction id (0 outside a transaction). Arguments are checked here,
 * before anything is queued; replies are decoded on the I/O thread.
 */
final class AsyncOperations implements AsyncXenstoreOperations {

    private final Multiplexer mux;
    private final int txId;
    private final Runnable checkUsable;

    /**
     * @param checkUsable throws if requests may no longer be sent with this transaction id
     */
    AsyncOperations(Multiplexer mux, int txId, Runnable checkUsable) {
        this.mux = mux;
        this.txId = txId;
        this.checkUsable = checkUsable;
    }

    @Override
    public CompletableFuture<String> read(String path) {
        return readBytes(path).thenApply(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<byte[]> readBytes(String path) {
        return request(XsMessageType.XS_READ, path).thenApply(Replies::bytes);
    }

    @Override
    public CompletableFuture<Void> write(String path, String value) {
        return write(path, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<Void> write(String path, byte[] value) {
        Objects.requireNonNull(value, "value");
        String d = describe(XsMessageType.XS_WRITE, path);
        XenstorePaths.check("WRITE", path);
        return send(XsMessageType.XS_WRITE, Payloads.pathAndValue(path, value), d).thenApply(m -> null);
    }

    @Override
    public CompletableFuture<Void> mkdir(String path) {
        return request(XsMessageType.XS_MKDIR, path).thenApply(m -> null);
    }

    @Override
    public CompletableFuture<Void> rm(String path) {
        return request(XsMessageType.XS_RM, path).thenApply(m -> null);
    }

    @Override
    public CompletableFuture<List<String>> directory(String path) {
        XenstorePaths.check("DIRECTORY", path);
        return new DirectoryListing(this, path).start();
    }

    @Override
    public CompletableFuture<Boolean> exists(String path) {
        return request(XsMessageType.XS_GET_PERMS, path).handle((m, t) -> {
            if (t == null) {
                return true;
            }
            Throwable cause = Futures.unwrap(t);
            if (cause instanceof NoSuchNodeException) {
                return false;
            }
            if (cause instanceof TooBigException) {
                return true;
            }
            throw Futures.rethrowable(cause);
        });
    }

    @Override
    public CompletableFuture<Permissions> getPermissions(String path) {
        String d = describe(XsMessageType.XS_GET_PERMS, path);
        return request(XsMessageType.XS_GET_PERMS, path).thenApply(m -> Replies.permissions(m, d));
    }

    @Override
    public CompletableFuture<Void> setPermissions(String path, Permissions permissions) {
        Objects.requireNonNull(permissions, "permissions");
        XenstorePaths.check("SET_PERMS", path);
        return send(XsMessageType.XS_SET_PERMS, Payloads.pathAndPermissions(path, permissions),
                describe(XsMessageType.XS_SET_PERMS, path) + " " + permissions).thenApply(m -> null);
    }

    @Override
    public CompletableFuture<String> getDomainPath(int domid) {
        String d = "GET_DOMAIN_PATH " + domid;
        return send(XsMessageType.XS_GET_DOMAIN_PATH, Payloads.strings(Integer.toString(domid)), d)
                .thenApply(m -> Replies.string(m, d));
    }

    /** A request whose payload is one path. */
    CompletableFuture<XsMessage> request(XsMessageType type, String path) {
        XenstorePaths.check(type.name().substring(3), path);
        return send(type, Payloads.strings(path), describe(type, path));
    }

    /** Queues a request with this transaction id after checking its size against the transport's limit. */
    CompletableFuture<XsMessage> send(XsMessageType type, byte[] payload, String description) {
        checkUsable.run();
        return sendUnchecked(type, payload, description);
    }

    /** Like {@link #send} without the usability check: for the transaction's own END. */
    CompletableFuture<XsMessage> sendUnchecked(XsMessageType type, byte[] payload, String description) {
        int limit = mux.payloadLimit();
        if (payload.length > limit) {
            throw new TooBigException(description + ": request payload of " + payload.length
                    + " bytes exceeds the transport's limit of " + limit, "E2BIG");
        }
        return mux.submit(type, type.ignoresTransaction() ? 0 : txId, payload, description);
    }

    private static String describe(XsMessageType type, String path) {
        return type.name().substring(3) + " " + path;
    }
}
