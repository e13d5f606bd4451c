package org.jxenbus.transport.socket.archfixture;

import org.jxenbus.xenstore.core.internal.ScopedXenstore;

/**
 * A deliberately broken dependency, for LayeringTest to prove its rules bite: a transport class that uses
 * the core (and its internal package). Lives in the test sources only.
 */
public final class SocketTransportReachingIntoCore {

    private SocketTransportReachingIntoCore() {
    }

    /** Uses the core, which a transport must not know. */
    public static Class<?> leak() {
        return ScopedXenstore.class;
    }
}
