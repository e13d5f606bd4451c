package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.RawWatchListener;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * A server watch: its listener is registered before WATCH is sent (the initial event follows the ack) and
 * removed before UNWATCH. A WATCH whose caller gave up is answered, if the server still acknowledges it,
 * with an UNWATCH, so no watch quota leaks.
 */
final class CoreRawWatch implements RawWatch {

    private final WatchRouter router;
    private final BlockingOperations ops;
    private final AsyncOperations async;
    private final String path;
    private final String token;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable onClose = () -> { };

    private CoreRawWatch(WatchRouter router, BlockingOperations ops, AsyncOperations async, String path, String token) {
        this.router = router;
        this.ops = ops;
        this.async = async;
        this.path = path;
        this.token = token;
    }

    static RawWatch set(Multiplexer mux, BlockingOperations ops, AsyncOperations async, String path,
            RawWatchListener listener) {
        WatchRouter router = mux.watches();
        String token = router.register(path, listener);
        byte[] payload = Payloads.strings(path, token);
        PendingRequest.Settlement undoIfLate = (reply, late) -> {
            if (late && reply != null && reply.type() == XsMessageType.XS_WATCH.code()) {
                mux.compensate(XsMessageType.XS_UNWATCH, 0, payload, "UNWATCH " + path,
                        PendingRequest.Settlement.NONE);
            }
        };
        try {
            ops.await(async.call(XsMessageType.XS_WATCH, payload, "WATCH " + path, m -> null, undoIfLate),
                    "WATCH " + path);
            router.established(token);
        } catch (RuntimeException | Error e) {
            router.unregister(token);
            throw e;
        }
        return new CoreRawWatch(router, ops, async, path, token);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String token() {
        return token;
    }

    /** Runs {@code hook} once when the watch is closed; for scoped views. */
    void whenClosed(Runnable hook) {
        onClose = hook;
        if (closed.get()) {
            hook.run();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.run();
        router.unregister(token);
        // The UNWATCH is queued even by an interrupted thread (cleanup in a finally block often runs on one):
        // its submission must not be refused for the interrupt, or the server would keep firing the watch.
        // The interrupt is kept, so the wait for the acknowledgement below returns at once.
        boolean interrupted = Thread.interrupted();
        RequestFuture<Void> unwatch;
        try {
            unwatch = async.call(XsMessageType.XS_UNWATCH, Payloads.strings(path, token), "UNWATCH " + path,
                    m -> null);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            ops.awaitDetached(unwatch, "UNWATCH " + path);
        } catch (NoSuchNodeException | TransportFailureException gone) {
            // the server no longer has it (xenstored answers ENOENT) or the connection is gone: nothing to remove
        }
    }

    @Override
    public String toString() {
        return "RawWatch[" + path + ", " + token + "]";
    }
}
