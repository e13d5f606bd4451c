package org.jxenbus.xenstore.core.internal;

import java.util.List;

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
        return await(async.read(path), "READ " + path);
    }

    @Override
    public byte[] readBytes(String path) {
        return await(async.readBytes(path), "READ " + path);
    }

    @Override
    public void write(String path, String value) {
        await(async.write(path, value), "WRITE " + path);
    }

    @Override
    public void write(String path, byte[] value) {
        await(async.write(path, value), "WRITE " + path);
    }

    @Override
    public void mkdir(String path) {
        await(async.mkdir(path), "MKDIR " + path);
    }

    @Override
    public void rm(String path) {
        await(async.rm(path), "RM " + path);
    }

    @Override
    public List<String> directory(String path) {
        return await(async.directory(path), "DIRECTORY " + path);
    }

    @Override
    public boolean exists(String path) {
        return await(async.exists(path), "EXISTS " + path);
    }

    @Override
    public Permissions getPermissions(String path) {
        return await(async.getPermissions(path), "GET_PERMS " + path);
    }

    @Override
    public void setPermissions(String path, Permissions permissions) {
        await(async.setPermissions(path, permissions), "SET_PERMS " + path);
    }

    @Override
    public String getDomainPath(int domid) {
        return await(async.getDomainPath(domid), "GET_DOMAIN_PATH " + domid);
    }

    /**
     * Waits for a request that must go out even if its caller stops waiting (an UNWATCH: abandoning it would
     * leave the server's watch, and its quota, behind). An interrupt ends the wait, keeping the flag, but not
     * the request; on the I/O thread there is no wait at all.
     */
    void awaitDetached(RequestFuture<?> f, String what) {
        waiter.awaitDetached(f, async.timeoutNanos(), what);
    }

    /** Waits for one of this view's futures with its timeout. */
    <T> T await(RequestFuture<T> f, String what) {
        return waiter.await(f, async.timeoutNanos(), what);
    }
}
