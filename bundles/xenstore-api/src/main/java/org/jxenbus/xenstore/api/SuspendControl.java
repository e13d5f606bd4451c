package org.jxenbus.xenstore.api;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The suspend/resume gate of a connection, after Linux's xs_suspend/xs_resume: for an embedding that knows
 * the ground is about to move (its host is saved and restored, the store is live-updated, the transport is
 * about to be replaced). Consumers of {@link XenstoreService} never call it.
 *
 * <p>Who calls it: a dom0 or driver-domain agent around a save/restore of its own host, or around a
 * xenstored live update (the socket survives: {@link #resume()}); an agent serving or using a ring around a
 * reconnection ({@link #resume(boolean) resume(true)}); inside a guest the kernel suspends itself and keeps
 * {@code /dev/xen/xenbus} watches, so a guest agent calls nothing (and must not re-set its watches). A lost
 * connection is handled without the gate's caller: the core suspends, replaces the transport and resumes on
 * its own.
 *
 * <p>Thread-safe.
 */
@ProviderType
public interface SuspendControl {

    /**
     * Suspends: new requests outside a transaction wait (within their own timeout); requests of open
     * transactions, and their end, are still sent during {@code transactionGrace}, after which those
     * transactions are stale (their commit fails with EAGAIN, their abort succeeds); requests already written
     * are answered; then the I/O thread stops at a message boundary. Blocks until then.
     *
     * @throws XenstoreTimeoutException if the written requests were not answered within the request timeout
     *         (the connection is then resumed)
     */
    void suspend(Duration transactionGrace);

    /**
     * Resumes on the same connection, which the server kept: nothing is re-sent (xenstored would answer a
     * repeated watch with EEXIST). Transactions opened before the suspension are stale.
     */
    void resume();

    /**
     * Resumes; with {@code reinitialise}, the connection is re-established first (ring reconnection where the
     * server offers it, otherwise a new transport), and everything the server forgot is restored: every watch
     * is set again, and its initial event covers what was missed.
     */
    void resume(boolean reinitialise);

    /** Abandons a suspension: as {@link #resume()}. */
    void suspendCancel();

    /** Whether the connection is suspended or suspending now. */
    boolean suspended();
}
