package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.RawWatchListener;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/** A server watch: its listener is registered before WATCH is sent and removed before UNWATCH. */
final class CoreRawWatch implements RawWatch {

    private final WatchRouter router;
    private final AsyncOperations async;
    private final BlockingOperations.Waiter waiter;
    private final String path;
    private final String token;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CoreRawWatch(WatchRouter router, AsyncOperations async, BlockingOperations.Waiter waiter, String path,
            String token) {
        this.router = router;
        this.async = async;
        this.waiter = waiter;
        this.path = path;
        this.token = token;
    }

    static RawWatch set(WatchRouter router, AsyncOperations async, BlockingOperations.Waiter waiter, String path,
            RawWatchListener listener) {
        String token = router.register(listener);
        try {
            waiter.await(async.send(XsMessageType.XS_WATCH, Payloads.strings(path, token), "WATCH " + path),
                    "WATCH " + path);
        } catch (RuntimeException | Error e) {
            router.unregister(token);
            throw e;
        }
        return new CoreRawWatch(router, async, waiter, path, token);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            waiter.await(async.send(XsMessageType.XS_UNWATCH, Payloads.strings(path, token), "UNWATCH " + path),
                    "UNWATCH " + path);
        } catch (NoSuchNodeException | TransportFailureException gone) {
            // the server no longer has it (xenstored answers ENOENT) or the connection is gone: nothing to remove
        } finally {
            router.unregister(token);
        }
    }

    @Override
    public String toString() {
        return "RawWatch[" + path + ", " + token + "]";
    }
}
