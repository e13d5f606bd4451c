package org.jxenbus.xenstore.sim.internal.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * INTRODUCE, RELEASE, RESUME, SET_TARGET, GET_DOMAIN_PATH and IS_DOMAIN_INTRODUCED, and the domain life
 * cycle behind them: an introduced domain gets a connection (its ring) and fires {@code @introduceDomain};
 * a released or dead one loses its connection, the nodes it owns, its entries in the special paths'
 * permissions, and fires {@code @releaseDomain}. Engine thread only.
 */
final class DomainRequests {

    private static final Logger LOG = System.getLogger(DomainRequests.class.getName());

    private final Xenstored xs;

    DomainRequests(Xenstored xs) {
        this.xs = xs;
    }

    void register(Dispatcher d) {
        d.handle(XsMessageType.XS_INTRODUCE, this::introduce);
        d.handle(XsMessageType.XS_RELEASE, this::release);
        d.handle(XsMessageType.XS_RESUME, this::resume);
        d.handle(XsMessageType.XS_SET_TARGET, this::setTarget);
        d.handle(XsMessageType.XS_GET_DOMAIN_PATH, this::getDomainPath);
        d.handle(XsMessageType.XS_IS_DOMAIN_INTRODUCED, this::isDomainIntroduced);
    }

    private void introduce(Connection conn, XsMessage in) throws XsError {
        CStrings.Strings s = CStrings.strings(in.payload(), 3);
        if (s.count() < 3) {
            throw new XsError(Errno.EINVAL);
        }
        int domid = CStrings.atoi(s.get(0));
        int port = CStrings.atoi(s.get(2));
        if (port == 0) {
            throw new XsError(Errno.EINVAL);
        }
        Domain d = introduce(domid, port);
        resetConnection(d);
        xs.output().ack(conn, XsMessageType.XS_INTRODUCE);
    }

    /**
     * {@code introduce_domain}: a domain's first introduction maps its ring and fires
     * {@code @introduceDomain} (not for dom0); a later one only rebinds the event channel.
     */
    Domain introduce(int domid, int port) throws XsError {
        return introduce(domid, port, true);
    }

    /** Introduces a domain that has no ring: its connection is used from the same JVM. */
    Domain introduceWithoutRing(int domid) throws XsError {
        return introduce(domid, 1, false);
    }

    private Domain introduce(int domid, int port, boolean ring) throws XsError {
        Domain d = xs.domains().find(domid);
        boolean allocated = d == null;
        if (allocated) {
            d = xs.domains().alloc(domid);
        }
        if (d.introduced) {
            d.port = port;
            return d;
        }
        Connection c = new Connection(xs.engine(), d, null);
        Hypervisor.RingAttachment attachment = null;
        if (ring) {
            try {
                attachment = xs.hypervisor().attachRing(domid, port, c);
            } catch (Hypervisor.XsErrorException e) {
                if (allocated) {
                    forget(d);
                }
                throw xs.fail(Errno.valueOf(e.errno()));
            }
        }
        d.introduced = true;
        d.shutdown = false;
        d.port = port;
        d.connection = c;
        c.ring = attachment;
        if (attachment == null) {
            c.frontend(new UnreadRing(xs, c));
        }
        xs.connections().add(c);
        if (domid != 0) {
            fireSpecial(Domains.INTRODUCE, domid);
        }
        return d;
    }

    /** {@code domain_conn_reset}: watches, transactions and queued output dropped, the ring's indices zeroed. */
    void resetConnection(Domain d) {
        Connection c = d.connection;
        if (c == null) {
            return;
        }
        xs.watchRequests().removeAll(c);
        xs.transactions().removeAll(c);
        xs.output().dropAll(c);
        c.dropRequests();
        Hypervisor.RingAttachment ring = c.ring;
        if (ring != null) {
            ring.reset(d.port);
        } else if (c.frontend() instanceof UnreadRing) {
            c.frontend(new UnreadRing(xs, c)); // the ring's indices are zeroed: all its room is free again
        }
    }

    private void release(Connection conn, XsMessage in) throws XsError {
        Domain d = connectedDomain(oneArgDomid(in));
        if (d.connection == xs.successor) {
            // xenstored's loop holds a reference to the connection after the requester: it is freed when the
            // loop gets there, after this request's reply
            d.connection.freeDeferred = true;
        } else {
            free(d.connection);
        }
        xs.output().ack(conn, XsMessageType.XS_RELEASE);
    }

    /**
     * {@code talloc_free(domain->conn)}: a connection others hold references to (SET_TARGET) loses the newest
     * reference and stays; otherwise it and its domain are destroyed.
     */
    void free(Connection c) {
        if (!c.referencedBy.isEmpty()) {
            c.referencedBy.removeFirst();
        } else if (c.domain != null && c.domain.connection == c) {
            destroy(c.domain);
        }
    }

    private void resume(Connection conn, XsMessage in) throws XsError {
        Domain d = connectedDomain(oneArgDomid(in));
        d.shutdown = false;
        xs.output().ack(conn, XsMessageType.XS_RESUME);
    }

    /** {@code onearg_domain}'s argument: EINVAL if malformed or 0. */
    private static int oneArgDomid(XsMessage in) throws XsError {
        String arg = CStrings.oneArg(in.payload());
        if (arg == null) {
            throw new XsError(Errno.EINVAL);
        }
        int domid = CStrings.atoi(arg);
        if (domid == 0) {
            throw new XsError(Errno.EINVAL);
        }
        return domid;
    }

    /** {@code find_connected_domain}: ENOENT unless introduced, EINVAL without a connection. */
    private Domain connectedDomain(int domid) throws XsError {
        Domain d = xs.domains().findIntroduced(domid);
        if (d == null) {
            throw new XsError(Errno.ENOENT);
        }
        if (d.connection == null) {
            throw new XsError(Errno.EINVAL);
        }
        return d;
    }

    private void setTarget(Connection conn, XsMessage in) throws XsError {
        CStrings.Strings s = CStrings.strings(in.payload(), 2);
        if (s.count() < 2) {
            throw new XsError(Errno.EINVAL);
        }
        Domain d = connectedDomain(CStrings.atoi(s.get(0)));
        Domain target = connectedDomain(CStrings.atoi(s.get(1)));
        target.connection.referencedBy.addFirst(d.connection);
        d.connection.target = target.connection;
        xs.output().ack(conn, XsMessageType.XS_SET_TARGET);
    }

    private void getDomainPath(Connection conn, XsMessage in) throws XsError {
        String arg = CStrings.oneArg(in.payload());
        if (arg == null) {
            throw new XsError(Errno.EINVAL);
        }
        String path = "/local/domain/" + Integer.toUnsignedString(CStrings.atoi(arg));
        xs.output().reply(conn, XsMessageType.XS_GET_DOMAIN_PATH, CStrings.nulTerminated(path));
    }

    private void isDomainIntroduced(Connection conn, XsMessage in) throws XsError {
        String arg = CStrings.oneArg(in.payload());
        if (arg == null) {
            throw new XsError(Errno.EINVAL);
        }
        int domid = CStrings.atoi(arg);
        boolean yes = domid == Domains.DOMID_SELF || xs.domains().findIntroduced(domid) != null;
        xs.output().reply(conn, XsMessageType.XS_IS_DOMAIN_INTRODUCED, CStrings.nulTerminated(yes ? "T" : "F"));
    }

    /**
     * The domain's connection goes ({@code talloc_free(domain->conn)}): the connection is destroyed, then the
     * domain: its nodes removed, its special permissions dropped, {@code @releaseDomain} fired.
     */
    void destroy(Domain d) {
        Connection c = d.connection;
        d.connection = null;
        if (c != null) {
            xs.destroyConnection(c);
        }
        removeOwnedNodes(d);
        forget(d);
        if (d.introduced) {
            Hypervisor.RingAttachment ring = c == null ? null : c.ring;
            if (ring != null) {
                ring.detach();
            }
            fireSpecial(Domains.RELEASE, d.domid);
        }
    }

    /** {@code destroy_domain} for a record never introduced (or dropped after a failed INTRODUCE). */
    private void forget(Domain d) {
        xs.domains().forgetInSpecialPerms(d.domid);
        xs.domains().remove(d);
    }

    /**
     * The hypervisor reports the domain gone ({@code check_domains}): an introduced domain is destroyed
     * (firing {@code @releaseDomain}); a mere record is dropped.
     */
    void died(int domid) {
        Domain d = xs.domains().find(domid);
        if (d == null || domid == 0) {
            return;
        }
        if (d.introduced) {
            destroy(d);
        } else {
            removeOwnedNodes(d);
            forget(d);
        }
    }

    /** A shutdown or crash the hypervisor reports ({@code check_domains}): {@code @releaseDomain} fires. */
    void shutdown(Domain d) {
        if (!d.shutdown) {
            d.shutdown = true;
            fireSpecial(Domains.RELEASE, d.domid);
        }
    }

    /** {@code domain_tree_remove}: every node the domain owns, with its subtree, as if removed by xenstored. */
    private void removeOwnedNodes(Domain d) {
        if (d.nodes > 0) {
            walkOwned(d, "/");
        }
    }

    /** Pre-order walk from {@code name}; false once the domain owns nothing more. */
    private boolean walkOwned(Domain d, String name) {
        Node node;
        try {
            node = xs.tree().read(null, name);
        } catch (XsError e) {
            return true;
        }
        if (node.perms.owner().id() == d.domid) {
            try {
                xs.tree().remove(null, name);
            } catch (XsError e) {
                LOG.log(Level.ERROR, "error when deleting orphaned node " + name + ": " + e.errno);
            }
            return d.nodes > 0;
        }
        if (d.nodes <= 0) {
            return false;
        }
        byte[] children = node.children;
        for (int off = 0; off < children.length;) {
            int len = CStrings.stringLength(children, off);
            if (!walkOwned(d, NodePaths.child(name, CStrings.text(children, off, off + len - 1)))) {
                return false;
            }
            off += len;
        }
        return true;
    }

    private void fireSpecial(String name, int domid) {
        xs.watches().fire(null, name, null, true, null);
        if (xs.profile().watchDepth()) {
            xs.watches().fireSpecialOfDomain(name, domid);
        }
    }
}
