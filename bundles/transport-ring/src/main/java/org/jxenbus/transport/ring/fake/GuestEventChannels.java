package org.jxenbus.transport.ring.fake;

import java.io.IOException;
import java.util.BitSet;

/**
 * Domain N's device: the client side of its xenstore ring. Every kick it sends is the record N in
 * {@code D/xenstored.evtchn} (the shim maps it to xenstored's port for N); every record in
 * {@code D/dom<N>.evtchn} means "look at the ring", whatever its value, so it makes every bound port
 * pending. See {@link FakeEventChannels}.
 */
final class GuestEventChannels extends FakeEventChannels {

    /** Where the fake's one xenstored runs, as far as guests know. */
    private static final int XENSTORED_DOMID = 0;

    private final int domid;
    private final KickWriter toXenstored;

    GuestEventChannels(FakeHost host, int domid, KickReader reader) {
        super(host, reader, "fake event channels of dom" + domid + " in " + host.dir());
        this.domid = domid;
        this.toXenstored = new KickWriter(host.xenstoredFifo());
    }

    @Override
    void checkPeer(int peer) throws IOException {
        if (peer != XENSTORED_DOMID) {
            throw new IOException(this + ": the fake hypervisor routes a guest's kicks only to xenstored in dom"
                    + XENSTORED_DOMID + ", not to dom" + peer);
        }
    }

    @Override
    boolean kick(PortTable.Binding binding) throws IOException {
        return toXenstored.kick(domid);
    }

    @Override
    boolean onRecord(int value, BitSet pending) {
        int[] all = ports.all();
        for (int port : all) {
            pending.set(port);
        }
        return all.length > 0;
    }

    @Override
    void closeWriters() {
        toXenstored.close();
    }
}
