package org.jxenbus.transport.ring.server;

import java.io.IOException;

import org.jxenbus.transport.xendev.EvtchnDevice;
import org.jxenbus.transport.xendev.GrantMapper;
import org.jxenbus.transport.xendev.StoreInterface;
import org.jxenbus.transport.xendev.XenAbi;
import org.jxenbus.xenstore.spi.ring.EventChannels;
import org.jxenbus.xenstore.spi.ring.SharedPage;

/**
 * Domains' rings on a real Xen host, as xenstored finds them: dom0's through {@code /proc/xen/xsd_kva}
 * (when this is the store domain), every other domain's as its grant 1 through {@code /dev/xen/gntdev}, or
 * any (domain, grant) a client offered; kicks through {@code /dev/xen/evtchn}.
 */
public final class XenDomainRings implements DomainRings {

    private final EvtchnDevice channels;
    private final GrantMapper grants;

    private XenDomainRings(EvtchnDevice channels, GrantMapper grants) {
        this.channels = channels;
        this.grants = grants;
    }

    /** Opens {@code /dev/xen/evtchn} and {@code /dev/xen/gntdev}. */
    public static XenDomainRings open() throws IOException {
        EvtchnDevice channels = EvtchnDevice.open();
        try {
            return new XenDomainRings(channels, GrantMapper.open());
        } catch (IOException | RuntimeException e) {
            channels.close();
            throw e;
        }
    }

    /** Domain {@code domid}'s xenstore ring: dom0's xsd_kva when present, else its grant 1. */
    @Override
    public SharedPage mapRing(int domid) throws IOException {
        if (domid == 0 && StoreInterface.present()) {
            return StoreInterface.map();
        }
        return grants.map(domid, XenAbi.GNTTAB_RESERVED_XENSTORE);
    }

    @Override
    public SharedPage mapGrant(int domid, int gref) throws IOException {
        return grants.map(domid, gref);
    }

    @Override
    public EventChannels eventChannels() {
        return channels;
    }

    @Override
    public String describe() {
        return "Xen devices (" + EvtchnDevice.PATH + ", " + GrantMapper.PATH + ")";
    }

    @Override
    public void close() {
        grants.close();
        channels.close();
    }
}
