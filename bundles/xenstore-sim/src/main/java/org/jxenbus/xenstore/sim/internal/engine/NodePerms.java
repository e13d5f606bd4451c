package org.jxenbus.xenstore.sim.internal.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A node's permission list ({@code struct node_perms}): the owner first, then per-domain entries. Immutable.
 */
final class NodePerms {

    private final Perm[] entries;

    NodePerms(Perm... entries) {
        if (entries.length == 0) {
            throw new IllegalArgumentException("a permission list has at least its owner");
        }
        this.entries = entries.clone();
    }

    /** The list of a node created by xenstored itself: owned by {@code domid}, no access for others. */
    static NodePerms ownedBy(int domid) {
        return new NodePerms(new Perm(domid, Perm.NONE));
    }

    /**
     * {@code xs_strings_to_perms}: {@code count} strings starting at {@code offset}, each a letter
     * ({@code r w b n}) and a domain id that {@code strtol(…, 0)} reads whole.
     *
     * @throws XsError EINVAL for a bad letter or id
     */
    static NodePerms parse(byte[] payload, int offset, int count) throws XsError {
        Perm[] parsed = new Perm[count];
        int p = offset;
        for (int i = 0; i < count; i++) {
            String s = CStrings.cString(payload, p);
            if (s.isEmpty()) {
                throw new XsError(Errno.EINVAL);
            }
            int bits = switch (s.charAt(0)) {
                case 'r' -> Perm.READ;
                case 'w' -> Perm.WRITE;
                case 'b' -> Perm.READ | Perm.WRITE;
                case 'n' -> Perm.NONE;
                default -> -1;
            };
            String number = s.substring(1);
            CStrings.Parsed id = CStrings.strtol(number, 0);
            if (bits < 0 || number.isEmpty() || id.end() != number.length()) {
                throw new XsError(Errno.EINVAL);
            }
            parsed[i] = new Perm((int) id.value(), bits);
            p += s.length() + 1;
        }
        return new NodePerms(parsed);
    }

    int size() {
        return entries.length;
    }

    Perm get(int i) {
        return entries[i];
    }

    Perm owner() {
        return entries[0];
    }

    /** The GET_PERMS reply: each entry's text and a NUL. */
    byte[] toWire() {
        StringBuilder b = new StringBuilder();
        for (Perm p : entries) {
            b.append(p.text()).append('\0');
        }
        return CStrings.bytes(b.toString());
    }

    /** A copy with another owner id (the owner's bits kept). */
    NodePerms withOwner(int domid) {
        Perm[] copy = entries.clone();
        copy[0] = copy[0].withId(domid);
        return new NodePerms(copy);
    }

    /**
     * A copy where every entry for which {@code ignore} holds is marked ignored ({@code first}: whether the
     * owner entry is looked at too).
     */
    NodePerms markIgnored(boolean first, IntPredicate ignore) {
        Perm[] copy = null;
        for (int i = first ? 0 : 1; i < entries.length; i++) {
            if (!entries[i].ignored() && ignore.test(entries[i].id())) {
                if (copy == null) {
                    copy = entries.clone();
                }
                copy[i] = entries[i].ignore();
            }
        }
        return copy == null ? this : new NodePerms(copy);
    }

    /**
     * {@code remove_domid_from_perm}: a copy with {@code domid}'s entries dropped and its ownership handed
     * to {@code newOwner}.
     */
    NodePerms withoutDomain(int domid, int newOwner) {
        List<Perm> kept = new ArrayList<>(entries.length);
        kept.add(entries[0].id() == domid ? entries[0].withId(newOwner) : entries[0]);
        for (int i = 1; i < entries.length; i++) {
            if (entries[i].id() != domid) {
                kept.add(entries[i]);
            }
        }
        return new NodePerms(kept.toArray(Perm[]::new));
    }

    /**
     * {@code perm_for_conn}: what {@code conn} may do (READ, WRITE, OWNER bits). Privileged connections, the
     * owner and the owner's target get everything; otherwise the connection's own entry (or its target's),
     * else the owner entry's bits.
     */
    int accessFor(Connection conn) {
        int mask = Perm.READ | Perm.WRITE | Perm.OWNER;
        int owner = entries[0].id();
        if (!conn.unprivileged() || owner == conn.id() || (conn.hasTarget() && owner == conn.targetId())) {
            return mask;
        }
        for (int i = 1; i < entries.length; i++) {
            Perm p = entries[i];
            if (!p.ignored() && (p.id() == conn.id() || (conn.hasTarget() && p.id() == conn.targetId()))) {
                return p.bits() & mask;
            }
        }
        return entries[0].bits() & mask;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodePerms p && Arrays.equals(p.entries, entries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(entries);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Perm p : entries) {
            b.append(b.length() == 0 ? "" : " ").append(p.text()).append(p.ignored() ? "(ignored)" : "");
        }
        return b.toString();
    }
}
