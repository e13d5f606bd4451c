package org.jxenbus.xenstore.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An open xenstore transaction: its verbs see a consistent snapshot and their changes become visible, and
 * fire watches, only on a successful {@link #commit()}.
 *
 * <p>Thread-safe: several threads may issue requests in one transaction; the server orders them. After
 * commit or abort every verb throws {@link IllegalStateException}.
 */
@ProviderType
public interface Transaction extends XenstoreOperations, AutoCloseable {

    /** The server's transaction id, as carried in each request's header. */
    long id();

    /** This transaction's verbs in {@link java.util.concurrent.CompletableFuture} form. */
    AsyncXenstoreOperations async();

    /**
     * Commits. Blocks until the server answers.
     *
     * @throws ConflictException if another change conflicted (EAGAIN): nothing was applied; redo the work
     *         in a new transaction
     * @throws IllegalStateException if already committed or aborted
     */
    void commit();

    /**
     * Aborts, discarding every change. Blocks until the server answers.
     *
     * @throws IllegalStateException if already committed or aborted
     */
    void abort();

    /** Aborts if still open; otherwise does nothing. Never throws for an already ended transaction. */
    @Override
    void close();
}
