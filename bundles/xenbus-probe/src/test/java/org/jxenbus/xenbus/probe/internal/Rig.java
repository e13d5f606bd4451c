package org.jxenbus.xenbus.probe.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;
import org.jxenbus.xenstore.client.Xenstore;

/**
 * One host for one test: the real xenstored on the fake hypervisor, guest {@value #GUEST} introduced on its own
 * unprivileged ring with its home, the toolstack's dom0 connection, and buses on connections of their own
 * (frontend: the guest's ring; backend: dom0's socket, or any URI given). Closes everything in reverse order.
 */
final class Rig implements AutoCloseable {

    static final int GUEST = 5;

    final FakeXenHost host;
    final XenstoreConnection dom0;
    final Toolstack toolstack;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private XenstoreConnection guest;

    Rig() throws IOException {
        host = FakeXenHost.start();
        open.push(host);
        host.introduceGuest(GUEST, 7);
        dom0 = keep(Xenstore.open(host.socketUri()));
        toolstack = new Toolstack(dom0);
        toolstack.createHome(GUEST);
    }

    /** A connection of its own, closed with the rig. */
    XenstoreConnection connect(URI uri) {
        return keep(Xenstore.open(uri));
    }

    /**
     * A frontend bus of the guest, over the guest's own ring. Every bus of the rig shares one connection on
     * that ring: a domain has one ring, and two clients on it would take each other's replies.
     */
    DeviceBus guestFrontend(BusOptions options, DeviceListener listener) {
        if (guest == null) {
            guest = connect(host.guestRingUri(GUEST));
        }
        return bus(XenbusBus.FRONTEND, guest, options, listener);
    }

    /** The backend bus of dom0, over its socket. */
    DeviceBus dom0Backend(BusOptions options, DeviceListener listener) {
        return bus(XenbusBus.BACKEND, connect(host.socketUri()), options, listener);
    }

    /** A bus over {@code store}, with a watch service of its own. */
    DeviceBus bus(XenbusBus bus, XenstoreConnection store, BusOptions options, DeviceListener listener) {
        OwnedWatchService watches = keep(Xenstore.watches(store));
        return keep(DeviceBus.start(bus, store, watches, options, listener));
    }

    <T extends AutoCloseable> T keep(T closeable) {
        open.push(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
