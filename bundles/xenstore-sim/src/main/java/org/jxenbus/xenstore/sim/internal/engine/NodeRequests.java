package org.jxenbus.xenstore.sim.internal.engine;

import java.util.Arrays;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * READ, DIRECTORY, DIRECTORY_PART, GET_PERMS, WRITE, MKDIR, RM and SET_PERMS, with xenstored 4.17's argument
 * checks and error order. A request whose path argument is malformed (not exactly one NUL-terminated string)
 * gets whatever errno xenstored last set, as in xenstored. Engine thread only.
 */
final class NodeRequests {

    private final Xenstored xs;

    NodeRequests(Xenstored xs) {
        this.xs = xs;
    }

    void register(Dispatcher d) {
        d.handle(XsMessageType.XS_READ, this::read);
        d.handle(XsMessageType.XS_DIRECTORY, this::directory);
        d.handle(XsMessageType.XS_DIRECTORY_PART, this::directoryPart);
        d.handle(XsMessageType.XS_GET_PERMS, this::getPerms);
        d.handle(XsMessageType.XS_WRITE, this::write);
        d.handle(XsMessageType.XS_MKDIR, this::mkdir);
        d.handle(XsMessageType.XS_RM, this::rm);
        d.handle(XsMessageType.XS_SET_PERMS, this::setPerms);
    }

    /** {@code get_node_canonicalized} on the single argument. */
    private Node argNode(Connection conn, XsMessage in, int perm) throws XsError {
        String name = NodePaths.canonicalize(conn, CStrings.oneArg(in.payload()));
        if (name == null) {
            throw xs.staleError();
        }
        return xs.tree().get(conn, name, perm);
    }

    private void read(Connection conn, XsMessage in) throws XsError {
        Node node = argNode(conn, in, Perm.READ);
        xs.output().reply(conn, XsMessageType.XS_READ, node.data);
    }

    private void directory(Connection conn, XsMessage in) throws XsError {
        Node node = argNode(conn, in, Perm.READ);
        xs.output().reply(conn, XsMessageType.XS_DIRECTORY, node.children);
    }

    private void getPerms(Connection conn, XsMessage in) throws XsError {
        Node node = argNode(conn, in, Perm.READ);
        xs.output().reply(conn, XsMessageType.XS_GET_PERMS, node.perms.toWire());
    }

    /** {@code send_directory_part}: as many whole child names from a byte offset as fit, after the generation. */
    private void directoryPart(Connection conn, XsMessage in) throws XsError {
        byte[] p = in.payload();
        if (CStrings.countNuls(p) != 2) {
            throw new XsError(Errno.EINVAL);
        }
        String first = CStrings.cString(p, 0);
        Node node = xs.tree().get(conn, NodePaths.canonicalize(conn, first), Perm.READ);
        long off = Integer.toUnsignedLong(CStrings.atoi(CStrings.cString(p, first.length() + 1)));
        byte[] gen = CStrings.nulTerminated(Long.toUnsignedString(node.generation));
        byte[] children = node.children;
        if (off >= children.length) {
            byte[] out = Arrays.copyOf(gen, gen.length + 1);
            xs.output().reply(conn, XsMessageType.XS_DIRECTORY_PART, out);
            return;
        }
        int start = (int) off;
        int max = XsWire.XENSTORE_PAYLOAD_MAX - gen.length - 1;
        int len = 0;
        int child = start;
        while (true) {
            int nameLength = CStrings.stringLength(children, child) - 1;
            if (len + nameLength >= max) {
                break;
            }
            len += nameLength + 1;
            child += nameLength + 1;
            if (start + len == children.length) {
                break;
            }
        }
        boolean last = start + len == children.length;
        byte[] out = new byte[gen.length + len + (last ? 1 : 0)];
        System.arraycopy(gen, 0, out, 0, gen.length);
        System.arraycopy(children, start, out, gen.length, len);
        xs.output().reply(conn, XsMessageType.XS_DIRECTORY_PART, out);
    }

    private void write(Connection conn, XsMessage in) throws XsError {
        byte[] p = in.payload();
        CStrings.Strings s = CStrings.strings(p, 1);
        if (s.count() < 1) {
            throw new XsError(Errno.EINVAL);
        }
        int offset = s.get(0).length() + 1;
        byte[] data = Arrays.copyOfRange(p, offset, p.length);
        String name = NodePaths.canonicalize(conn, s.get(0));
        Node node = null;
        try {
            node = xs.tree().get(conn, name, Perm.WRITE);
        } catch (XsError e) {
            if (e.errno != Errno.ENOENT) {
                throw e;
            }
        }
        if (node == null) {
            node = xs.tree().create(conn, name, data);
        } else {
            node.data = data;
            try {
                xs.tree().write(conn, node, false);
            } catch (XsError e) {
                throw e.errno == Errno.EIO ? xs.staleError() : e;
            }
        }
        xs.watches().fire(conn, name, node, false, null);
        xs.output().ack(conn, XsMessageType.XS_WRITE);
    }

    /**
     * The canonical name of the node a MKDIR or RM changes; a name that cannot be canonicalised fails as
     * xenstored fails it there (its allocation failure reads as ENOMEM, a stale transaction as itself).
     */
    private String changedNodeName(Connection conn, XsMessage in) throws XsError {
        String name = NodePaths.canonicalize(conn, CStrings.oneArg(in.payload()));
        if (name == null) {
            XsError stale = xs.staleError();
            throw stale.errno == Errno.ENOENT ? new XsError(Errno.ENOMEM) : stale;
        }
        return name;
    }

    private void mkdir(Connection conn, XsMessage in) throws XsError {
        String name = changedNodeName(conn, in);
        try {
            xs.tree().get(conn, name, Perm.WRITE);
        } catch (XsError e) {
            if (e.errno != Errno.ENOENT) {
                throw e;
            }
            Node node = xs.tree().create(conn, name, new byte[0]);
            xs.watches().fire(conn, name, node, false, null);
        }
        xs.output().ack(conn, XsMessageType.XS_MKDIR);
    }

    private void rm(Connection conn, XsMessage in) throws XsError {
        String name = changedNodeName(conn, in);
        try {
            xs.tree().get(conn, name, Perm.WRITE);
        } catch (XsError e) {
            if (e.errno != Errno.ENOENT) {
                throw e;
            }
            try {
                xs.tree().read(conn, NodePaths.parent(name));
                xs.output().ack(conn, XsMessageType.XS_RM);
                return;
            } catch (XsError parentMissing) {
                if (!parentMissing.errno.alwaysPropagated()) {
                    throw xs.fail(Errno.ENOENT);
                }
                throw parentMissing;
            }
        }
        if (name.equals("/")) {
            throw new XsError(Errno.EINVAL);
        }
        xs.tree().remove(conn, name);
        xs.output().ack(conn, XsMessageType.XS_RM);
    }

    private void setPerms(Connection conn, XsMessage in) throws XsError {
        byte[] p = in.payload();
        int count = CStrings.countNuls(p);
        if (count < 2) {
            throw new XsError(Errno.EINVAL);
        }
        count--;
        if (conn.unprivileged() && count > xs.limits().permissions) {
            throw new XsError(Errno.ENOSPC);
        }
        String first = CStrings.cString(p, 0);
        NodePerms perms;
        try {
            perms = NodePerms.parse(p, first.length() + 1, count);
        } catch (XsError e) {
            throw xs.fail(e.errno);
        }
        perms = xs.domains().allocPermRefs(perms);
        if (perms.owner().ignored()) {
            throw new XsError(Errno.ENOENT);
        }
        if (first.startsWith("@")) {
            try {
                xs.domains().setSpecialPerms(conn, first, perms);
            } catch (XsError e) {
                // set_perms_special's errno value is dropped: xenstored answers the errno last set
                throw xs.staleError();
            }
            xs.output().ack(conn, XsMessageType.XS_SET_PERMS);
            return;
        }
        String name = NodePaths.canonicalize(conn, first);
        Node node = xs.tree().get(conn, name, Perm.WRITE | Perm.OWNER);
        if (conn.unprivileged() && perms.owner().id() != node.perms.owner().id()) {
            throw new XsError(Errno.EPERM);
        }
        NodePerms old = node.perms;
        xs.domains().entryDec(conn, node);
        node.perms = perms;
        try {
            xs.domains().entryInc(conn, node);
        } catch (XsError e) {
            node.perms = old;
            xs.domains().entryInc(conn, node);
            throw e;
        }
        try {
            xs.tree().write(conn, node, false);
        } catch (XsError e) {
            xs.domains().entryDec(conn, node);
            node.perms = old;
            xs.domains().entryInc(conn, node);
            throw e.errno == Errno.EIO ? xs.staleError() : e;
        }
        xs.watches().fire(conn, name, node, false, old);
        xs.output().ack(conn, XsMessageType.XS_SET_PERMS);
    }
}
