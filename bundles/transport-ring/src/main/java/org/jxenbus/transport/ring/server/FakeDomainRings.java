package org.jxenbus.transport.ring.server;

import java.io.IOException;
import java.nio.file.Path;

import org.jxenbus.transport.ring.fake.FakeEventChannels;
import org.jxenbus.transport.ring.fake.FakeHost;
import org.jxenbus.xenstore.spi.ring.EventChannels;
import org.jxenbus.xenstore.spi.ring.SharedPage;

/**
 * The rings of a fake-hypervisor host folder (shared/FAKE-HYPERVISOR.md) seen as xenstored sees them:
 * {@code D/dom<N>.ring} mapped for domain N, and the device reading {@code D/xenstored.evtchn}. A server
 * using it takes xenstored's place in that folder, so no C xenstored may run there.
 */
public final class FakeDomainRings implements DomainRings {

    private final FakeHost host;
    private final FakeEventChannels channels;

    private FakeDomainRings(FakeHost host, FakeEventChannels channels) {
        this.host = host;
        this.channels = channels;
    }

    /**
     * Opens the server side of folder {@code dir}: creates {@code D/xenstored.evtchn} if missing and reads it.
     *
     * @throws IOException if the FIFO cannot be created or opened
     */
    public static FakeDomainRings open(Path dir) throws IOException {
        FakeHost host = new FakeHost(dir);
        return new FakeDomainRings(host, FakeEventChannels.xenstored(host));
    }

    @Override
    public SharedPage mapRing(int domid) throws IOException {
        return host.mapRing(domid);
    }

    /** The fake hypervisor has no grants: every domain has exactly its ring file. */
    @Override
    public SharedPage mapGrant(int domid, int gref) throws IOException {
        return host.mapRing(domid);
    }

    @Override
    public EventChannels eventChannels() {
        return channels;
    }

    /** Lets domain {@code domid} exist in the folder: a zeroed ring file and its FIFO. */
    public void createDomain(int domid) throws IOException {
        host.createDomain(domid);
    }

    @Override
    public String describe() {
        return "fake hypervisor " + host.dir();
    }

    @Override
    public void close() {
        channels.close();
    }
}
