package org.jxenbus.xenstore.core.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreOperations;

/** The blocking verbs: the asynchronous ones, awaited on the caller's thread. */
class BlockingOperations implements XenstoreOperations {

    private final AsyncOperations async;
    private final Waiter waiter;

    BlockingOperations(AsyncOperations async, Waiter waiter) {
        this.async = async;
        this.waiter = waiter;
    }

    @Override
    public String read(String path) {
        return waiter.await(async.read(path), "READ " + path);
    }

    @Override
    public byte[] readBytes(String path) {
        return waiter.await(async.readBytes(path), "READ " + path);
    }

    @Override
    public void write(String path, String value) {
        waiter.await(async.write(path, value), "WRITE " + path);
    }

    @Override
    public void write(String path, byte[] value) {
        waiter.await(async.write(path, value), "WRITE " + path);
    }

    @Override
    public void mkdir(String path) {
        waiter.await(async.mkdir(path), "MKDIR " + path);
    }

    @Override
    public void rm(String path) {
        waiter.await(async.rm(path), "RM " + path);
    }

    @Override
    public List<String> directory(String path) {
        return waiter.await(async.directory(path), "DIRECTORY " + path);
    }

    @Override
    public boolean exists(String path) {
        return waiter.await(async.exists(path), "EXISTS " + path);
    }

    @Override
    public Permissions getPermissions(String path) {
        return waiter.await(async.getPermissions(path), "GET_PERMS " + path);
    }

    @Override
    public void setPermissions(String path, Permissions permissions) {
        waiter.await(async.setPermissions(path, permissions), "SET_PERMS " + path);
    }

    @Override
    public String getDomainPath(int domid) {
        return waiter.await(async.getDomainPath(domid), "GET_DOMAIN_PATH " + domid);
    }

    /** Blocks for replies on behalf of a connection. */
    static final class Waiter {
        private final IoThread io;
        private final long timeoutNanos;

        Waiter(IoThread io, long timeoutNanos) {
            this.io = io;
            this.timeoutNanos = timeoutNanos;
        }

        <T> T await(CompletableFuture<T> f, String what) {
            if (io.isCurrent() && !f.isDone()) {
                f.cancel(false);
                throw new IllegalStateException(what + ": a blocking xenstore call on the connection's I/O thread "
                        + "(from a raw watch listener or a future callback) would wait forever; use async()");
            }
            return Futures.await(f, timeoutNanos, what);
        }
    }
}
