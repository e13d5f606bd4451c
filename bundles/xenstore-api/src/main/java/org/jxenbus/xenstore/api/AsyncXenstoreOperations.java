package org.jxenbus.xenstore.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The xenstore verbs in {@link CompletableFuture} form. Each method queues one request (two or more for a
 * large {@link #directory}) and returns at once; the future completes on the connection's reader thread,
 * so dependent stages that block should use an {@code *Async} stage with an executor of their own.
 *
 * <p>Argument errors ({@link InvalidPathException}, {@link TooBigException}) are thrown directly, before
 * anything is queued. Every other error completes the future exceptionally with the same
 * {@link XenstoreException} types as the blocking form. Cancelling a future abandons its request.
 *
 * <p>Thread-safe. Never blocks, except while the connection's submission queue is full (bounded by the
 * request timeout).
 */
@ProviderType
public interface AsyncXenstoreOperations {

    /** See {@link XenstoreOperations#read}. */
    CompletableFuture<String> read(String path);

    /** See {@link XenstoreOperations#readBytes}. */
    CompletableFuture<byte[]> readBytes(String path);

    /** See {@link XenstoreOperations#write(String, String)}. */
    CompletableFuture<Void> write(String path, String value);

    /** See {@link XenstoreOperations#write(String, byte[])}. */
    CompletableFuture<Void> write(String path, byte[] value);

    /** See {@link XenstoreOperations#mkdir}. */
    CompletableFuture<Void> mkdir(String path);

    /** See {@link XenstoreOperations#rm}. */
    CompletableFuture<Void> rm(String path);

    /** See {@link XenstoreOperations#directory}. */
    CompletableFuture<List<String>> directory(String path);

    /** See {@link XenstoreOperations#exists}. */
    CompletableFuture<Boolean> exists(String path);

    /** See {@link XenstoreOperations#getPermissions}. */
    CompletableFuture<Permissions> getPermissions(String path);

    /** See {@link XenstoreOperations#setPermissions}. */
    CompletableFuture<Void> setPermissions(String path, Permissions permissions);

    /** See {@link XenstoreOperations#getDomainPath}. */
    CompletableFuture<String> getDomainPath(int domid);
}
