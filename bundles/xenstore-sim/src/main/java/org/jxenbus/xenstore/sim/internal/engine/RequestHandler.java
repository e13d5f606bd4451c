package org.jxenbus.xenstore.sim.internal.engine;

import org.jxenbus.xenstore.spi.wire.XsMessage;

/** Answers one request type ({@code wire_funcs[type].func}): replies through {@link Output} or throws. */
@FunctionalInterface
interface RequestHandler {

    void handle(Connection conn, XsMessage request) throws XsError;
}
