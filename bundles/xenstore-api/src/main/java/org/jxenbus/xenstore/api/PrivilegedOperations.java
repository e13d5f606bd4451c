package org.jxenbus.xenstore.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Operations xenstored allows only to privileged connections (dom0, or a domain it was told to trust).
 * Others get {@link AccessDeniedException}. Thread-safe and blocking, like {@link XenstoreOperations}.
 *
 * <p>RESET_WATCHES is deliberately absent: on a shared connection it would remove every user's watches
 * and transactions.
 */
@ProviderType
public interface PrivilegedOperations {

    /**
     * Tells the server about domain {@code domid}'s ring: the frame it lives in and the event-channel port
     * the server binds to notify it. Fires {@code @introduceDomain}.
     */
    void introduce(int domid, long frame, int eventChannelPort);

    /** Makes the server forget a domain; fires {@code @releaseDomain}. */
    void release(int domid);

    /** Re-arms {@code @releaseDomain} for a domain that resumed after suspend. */
    void resume(int domid);

    /** Lets {@code domid} act on behalf of {@code targetDomid} (device models, stub domains). */
    void setTarget(int domid, int targetDomid);

    /** Tells whether the server knows {@code domid}. */
    boolean isDomainIntroduced(int domid);

    /**
     * Sends a CONTROL command ({@code check}, {@code log}, {@code quota}, {@code live-update} ...) and
     * returns the server's textual answer.
     */
    String control(String command, String... arguments);
}
