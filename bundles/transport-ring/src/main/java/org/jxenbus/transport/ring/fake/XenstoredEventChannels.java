package org.jxenbus.transport.ring.fake;

import java.io.IOException;
import java.nio.file.Files;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device xenstored would own. Every domain's kick arrives as its domid in {@code D/xenstored.evtchn}
 * and makes the ports bound to that domain pending (records of domains with no bound port are ignored and
 * counted); a kick to domain N is the bound remote port written into {@code D/dom<N>.evtchn}, through one
 * cached writer per domain. See {@link FakeEventChannels}.
 */
final class XenstoredEventChannels extends FakeEventChannels {

    private final Map<Integer, KickWriter> writers = new ConcurrentHashMap<>();

    XenstoredEventChannels(FakeHost host, KickReader reader) {
        super(host, reader, "fake xenstored event channels in " + host.dir());
    }

    /** Domain N exists while {@code D/dom<N>.ring} does (as for the shim's {@code xc_domain_getinfo}). */
    @Override
    void checkPeer(int domid) throws IOException {
        if (!Files.exists(host.ring(domid))) {
            throw new IOException(this + ": no domain " + domid + " (" + host.ring(domid) + " does not exist)");
        }
    }

    @Override
    boolean kick(PortTable.Binding binding) throws IOException {
        return writers.computeIfAbsent(binding.domid(), d -> new KickWriter(host.kickFifo(d)))
                .kick(binding.remotePort());
    }

    @Override
    boolean onRecord(int domid, BitSet pending) {
        int[] bound = ports.portsOf(domid);
        for (int port : bound) {
            pending.set(port);
        }
        return bound.length > 0;
    }

    /** The domain's last port gone: its writer's descriptor goes too (a notify racing this is dropped). */
    @Override
    void unbound(PortTable.Binding binding) {
        writers.computeIfPresent(binding.domid(), (d, w) -> {
            if (ports.portsOf(d).length > 0) {
                return w;
            }
            w.close();
            return null;
        });
    }

    @Override
    void closeWriters() {
        writers.values().forEach(KickWriter::close);
        writers.clear();
    }
}
