package org.jxenbus.xenstore.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The blocking xenstore verbs, shared by a {@link XenstoreService} (each call is its own request) and a
 * {@link Transaction} (each call carries the transaction's id).
 *
 * <p><b>Paths</b> are absolute ({@code /local/domain/0/name}) or, on connections that have a domain
 * (rings, the kernel device), relative to {@code /local/domain/<domid>}. They are checked before anything
 * reaches the wire: a bad path throws {@link InvalidPathException}; a value over the payload limit throws
 * {@link TooBigException}.
 *
 * <p><b>Threads:</b> implementations are thread-safe. Every method blocks the calling thread until the
 * server's reply arrives or the request's timeout passes ({@link XenstoreTimeoutException}). A caller
 * interrupted while waiting returns at once with its interrupt flag kept, and gets a
 * {@link XenstoreInterruptedException}; the connection is unaffected. A verb that changes the store and
 * was already written when its caller stopped waiting (timeout, interrupt, cancellation) throws
 * {@link OutcomeUnknownException} instead: it may have been applied.
 *
 * <p><b>Errors:</b> besides those named per method, any method may throw {@link AccessDeniedException},
 * {@link QuotaExceededException}, {@link TransportFailureException}, {@link XenstoreTimeoutException}
 * or a plain {@link XenstoreException} carrying the server's error name.
 */
@ProviderType
public interface XenstoreOperations {

    /**
     * Reads a node's value as UTF-8 text.
     *
     * @throws NoSuchNodeException if the node does not exist
     */
    String read(String path);

    /**
     * Reads a node's value as raw bytes (xenstore values may contain any byte, NUL included).
     *
     * @throws NoSuchNodeException if the node does not exist
     */
    byte[] readBytes(String path);

    /** Writes a UTF-8 value, creating the node and any missing parents (with empty values). */
    void write(String path, String value);

    /** Writes a raw value, creating the node and any missing parents (with empty values). */
    void write(String path, byte[] value);

    /** Creates a node and its missing parents; an existing node keeps its value. */
    void mkdir(String path);

    /**
     * Removes a node and its whole subtree. A missing node is not an error.
     *
     * @throws NoSuchNodeException if the node's parent does not exist (the server's rule)
     */
    void rm(String path);

    /**
     * Lists the names (not paths) of a node's children, in the server's order. Directories larger than one
     * reply are fetched in parts and restarted if they change meanwhile.
     *
     * @throws NoSuchNodeException if the node does not exist
     * @throws TooBigException if the list exceeds one reply and the server cannot send it in parts
     */
    List<String> directory(String path);

    /** Tells whether a node exists. A node this connection may not read counts as existing. */
    boolean exists(String path);

    /**
     * Reads a node's permissions.
     *
     * @throws NoSuchNodeException if the node does not exist
     */
    Permissions getPermissions(String path);

    /**
     * Replaces a node's permissions. Only the owner may change them, only dom0 may change the owner.
     *
     * @throws NoSuchNodeException if the node, or (on xenstored 4.17) the owner domain, does not exist
     */
    void setPermissions(String path, Permissions permissions);

    /** Returns the home path the server gives a domain, {@code /local/domain/<domid>}. */
    String getDomainPath(int domid);
}
