package org.jxenbus.xenstore.core.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration of the runtime's shared xenstore connection (PID {@value XenstoreRuntime#PID}). */
@ObjectClassDefinition(name = "jxenbus xenstore connection",
        description = "The store the runtime connects to and how the shared connection behaves.")
@interface StoreConfiguration {

    @AttributeDefinition(name = "Store URI", required = false, description = "unix:, unix:/path/to/socket, "
            + "xenbus:, xenbus:/dev/xen/xenbus?descriptors=N, ring:..., sim:. Empty: discover the store in libxenstore's "
            + "order (xenstored's socket, /dev/xen/xenbus, /proc/xen/xenbus), the embedded simulator only if none "
            + "exists. Changing it between transports of the same store switches without losing a request.")
    String uri() default "";

    @AttributeDefinition(name = "Request timeout (ms)", min = "1")
    long requestTimeoutMillis() default 120_000;

    @AttributeDefinition(name = "Requests in flight at most", min = "0", description = "0: the transport's default; "
            + "1: one request at a time, as older clients")
    int maxInFlight() default 0;

    @AttributeDefinition(name = "Requests queued at most", min = "1")
    int maxQueued() default 65536;

    @AttributeDefinition(name = "Open transactions at most", min = "1")
    int maxOpenTransactions() default 10;

    @AttributeDefinition(name = "Transaction attempts", min = "1", description = "how often transaction(work) runs "
            + "its work on EAGAIN before giving up")
    int transactionAttempts() default 32;

    @AttributeDefinition(name = "First backoff before rerunning (ms)", min = "1")
    long transactionBackoffInitialMillis() default 1;

    @AttributeDefinition(name = "Largest backoff before rerunning (ms)", min = "1")
    long transactionBackoffMaxMillis() default 500;

    @AttributeDefinition(name = "I/O thread idle linger (ms)", min = "0")
    long idleLingerMillis() default 2000;

    @AttributeDefinition(name = "Reconnect", description = "replace a lost transport (restarted daemon, stopped or "
            + "updated transport bundle)")
    boolean reconnect() default true;

    @AttributeDefinition(name = "Transaction grace on a switch (ms)", min = "0", description = "how long open "
            + "transactions may go on while the transport is switched; later they are stale (commit EAGAIN)")
    long switchGraceMillis() default 2000;

    @AttributeDefinition(name = "Discovery grace (ms)", min = "0", description = "how long at most to wait for a "
            + "transport bundle that finds a real store before settling on the simulator; sooner once every "
            + "installed transport bundle is active and found nothing")
    long discoveryGraceMillis() default 3000;
}
