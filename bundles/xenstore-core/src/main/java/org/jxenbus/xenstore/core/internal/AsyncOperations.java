package org.jxenbus.xenstore.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import org.jxenbus.xenstore.api.AsyncXenstoreOperations;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.TooBigException;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XenstorePaths;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * The verbs as requests carrying one transaction id (0 outside a transaction) and one timeout. Arguments
 * are checked here, before anything is queued; replies are decoded on the I/O thread. Every future returned
 * is a {@link RequestFuture}: cancelling it abandons its request.
 */
final class AsyncOperations implements AsyncXenstoreOperations {

    /** Turns a reply into a verb's value; may throw a {@link XenstoreException}. */
    @FunctionalInterface
    interface ReplyReader<T> {
        T read(XsMessage reply);
    }

    /** Stands for the connection's request timeout as it is when a request is made. */
    private static final long CONNECTION_TIMEOUT = -1;

    private final Multiplexer mux;
    private final int txId;
    private final int generation;
    private final int session;
    private final long timeoutNanos;
    private final Runnable checkUsable;

    /** The connection's own verbs outside transactions, with its request timeout as it is at each call. */
    static AsyncOperations connectionDefault(Multiplexer mux) {
        return new AsyncOperations(mux, 0, 0, 0, CONNECTION_TIMEOUT, () -> { });
    }

    /**
     * The verbs of transaction {@code txId}, begun in gate generation {@code generation} and server session
     * {@code session} (so the connection can tell when it went stale).
     *
     * @param timeoutNanos each request's timeout
     * @param checkUsable throws if requests may no longer be sent with this transaction id
     */
    AsyncOperations(Multiplexer mux, int txId, int generation, int session, long timeoutNanos, Runnable checkUsable) {
        this.mux = mux;
        this.txId = txId;
        this.generation = generation;
        this.session = session;
        this.timeoutNanos = timeoutNanos;
        this.checkUsable = checkUsable;
    }

    /** The same verbs with another timeout. */
    AsyncOperations withTimeout(long nanos) {
        return new AsyncOperations(mux, txId, generation, session, nanos, checkUsable);
    }

    /** The timeout of a request made now. */
    long timeoutNanos() {
        return timeoutNanos == CONNECTION_TIMEOUT ? mux.timeoutNanos() : timeoutNanos;
    }

    @Override
    public RequestFuture<String> read(String path) {
        return onPath(XsMessageType.XS_READ, path, m -> new String(m.payload(), StandardCharsets.UTF_8));
    }

    @Override
    public RequestFuture<byte[]> readBytes(String path) {
        return onPath(XsMessageType.XS_READ, path, Replies::bytes);
    }

    @Override
    public RequestFuture<Void> write(String path, String value) {
        return write(path, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public RequestFuture<Void> write(String path, byte[] value) {
        Objects.requireNonNull(value, "value");
        XenstorePaths.check("WRITE", path);
        return call(XsMessageType.XS_WRITE, Payloads.pathAndValue(path, value), "WRITE " + path, m -> null);
    }

    @Override
    public RequestFuture<Void> mkdir(String path) {
        return onPath(XsMessageType.XS_MKDIR, path, m -> null);
    }

    @Override
    public RequestFuture<Void> rm(String path) {
        return onPath(XsMessageType.XS_RM, path, m -> null);
    }

    @Override
    public RequestFuture<List<String>> directory(String path) {
        XenstorePaths.check("DIRECTORY", path);
        return new DirectoryListing(this, path).start();
    }

    /** Asked with GET_PERMS: small, and needs only read permission, like READ. */
    @Override
    public RequestFuture<Boolean> exists(String path) {
        XenstorePaths.check("EXISTS", path);
        RequestFuture<Boolean> f = new RequestFuture<>();
        PendingRequest r = send(XsMessageType.XS_GET_PERMS, Payloads.strings(path), "EXISTS " + path,
                PendingRequest.Settlement.NONE);
        f.follow(r);
        r.reply.whenComplete((m, t) -> {
            Throwable cause = t == null ? null : Futures.unwrap(t);
            if (cause == null || cause instanceof TooBigException) {
                f.complete(true);
            } else if (cause instanceof NoSuchNodeException) {
                f.complete(false);
            } else {
                f.completeExceptionally(cause);
            }
        });
        return f;
    }

    @Override
    public RequestFuture<Permissions> getPermissions(String path) {
        String d = "GET_PERMS " + path;
        return onPath(XsMessageType.XS_GET_PERMS, path, m -> Replies.permissions(m, d));
    }

    @Override
    public RequestFuture<Void> setPermissions(String path, Permissions permissions) {
        Objects.requireNonNull(permissions, "permissions");
        XenstorePaths.check("SET_PERMS", path);
        return call(XsMessageType.XS_SET_PERMS, Payloads.pathAndPermissions(path, permissions),
                "SET_PERMS " + path + " " + permissions, m -> null);
    }

    @Override
    public RequestFuture<String> getDomainPath(int domid) {
        String d = "GET_DOMAIN_PATH " + domid;
        return call(XsMessageType.XS_GET_DOMAIN_PATH, Payloads.strings(Integer.toString(domid)), d,
                m -> Replies.string(m, d));
    }

    /** A verb whose payload is one path. */
    <T> RequestFuture<T> onPath(XsMessageType type, String path, ReplyReader<T> reader) {
        String verb = type.name().substring(3);
        XenstorePaths.check(verb, path);
        return call(type, Payloads.strings(path), verb + " " + path, reader);
    }

    /** One request, its reply read by {@code reader} on the I/O thread. */
    <T> RequestFuture<T> call(XsMessageType type, byte[] payload, String description, ReplyReader<T> reader) {
        return call(type, payload, description, reader, PendingRequest.Settlement.NONE);
    }

    /** One request with a settlement, its reply read by {@code reader} on the I/O thread. */
    <T> RequestFuture<T> call(XsMessageType type, byte[] payload, String description, ReplyReader<T> reader,
            PendingRequest.Settlement settlement) {
        checkUsable.run();
        return callUnchecked(type, payload, description, reader, settlement);
    }

    /** Like {@link #call} without the usability check: for the transaction's own END. */
    <T> RequestFuture<T> callUnchecked(XsMessageType type, byte[] payload, String description, ReplyReader<T> reader,
            PendingRequest.Settlement settlement) {
        RequestFuture<T> f = new RequestFuture<>();
        PendingRequest r = sendUnchecked(type, payload, description, settlement);
        f.follow(r);
        forward(r, f, reader);
        return f;
    }

    /**
     * Completes {@code f} from {@code r}'s reply through {@code reader}. A reply that finds {@code f} already ended
     * (its caller gave up a moment before) is unclaimed, and so late for {@code r}'s settlement.
     */
    static <T> void forward(PendingRequest r, RequestFuture<T> f, ReplyReader<T> reader) {
        r.reply.whenComplete((m, t) -> {
            if (t != null) {
                f.completeExceptionally(Futures.unwrap(t));
                return;
            }
            boolean claimed;
            try {
                claimed = f.complete(reader.read(m));
            } catch (RuntimeException e) {
                claimed = f.completeExceptionally(e);
            }
            if (!claimed) {
                r.unclaimed();
            }
        });
    }

    /** Queues a request with this transaction id after checking its size against the transport's limit. */
    PendingRequest send(XsMessageType type, byte[] payload, String description, PendingRequest.Settlement settlement) {
        checkUsable.run();
        return sendUnchecked(type, payload, description, settlement);
    }

    /** Like {@link #send} without the usability check: for the transaction's own END. */
    PendingRequest sendUnchecked(XsMessageType type, byte[] payload, String description,
            PendingRequest.Settlement settlement) {
        int limit = mux.payloadLimit();
        if (payload.length > limit) {
            throw new TooBigException(description + ": request payload of " + payload.length
                    + " bytes exceeds the transport's limit of " + limit, "E2BIG");
        }
        int tx = type.ignoresTransaction() ? 0 : txId;
        return mux.submit(type, tx, generation, session, payload, description, timeoutNanos(), settlement);
    }
}
