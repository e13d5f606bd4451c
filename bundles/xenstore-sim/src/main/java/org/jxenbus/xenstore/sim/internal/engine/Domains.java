package org.jxenbus.xenstore.sim.internal.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The domains xenstored has records of (its {@code domains} list), the permissions of the special watch
 * paths {@code @introduceDomain} and {@code @releaseDomain}, and the per-domain accounting: nodes owned and
 * memory. A record exists for dom0, for every introduced domain and for domains the hypervisor knows that a
 * permission list named. Engine thread only.
 */
final class Domains {

    static final String INTRODUCE = "@introduceDomain";
    static final String RELEASE = "@releaseDomain";
    /** {@code DOMID_SELF}. */
    static final int DOMID_SELF = 0x7ff0;
    private static final Logger LOG = System.getLogger(Domains.class.getName());

    private final Xenstored xs;
    private final Map<Integer, Domain> byId = new LinkedHashMap<>();
    NodePerms introducePerms = NodePerms.ownedBy(0);
    NodePerms releasePerms = NodePerms.ownedBy(0);

    Domains(Xenstored xs) {
        this.xs = xs;
    }

    /** {@code find_domain_struct}. */
    Domain find(int domid) {
        return byId.get(domid);
    }

    /** {@code find_domain_by_domid}: only an introduced domain. */
    Domain findIntroduced(int domid) {
        Domain d = byId.get(domid);
        return d != null && d.introduced ? d : null;
    }

    /** {@code alloc_domain}: a record dated at the current generation. */
    Domain alloc(int domid) {
        Domain d = new Domain(domid, xs.generation());
        byId.put(domid, d);
        return d;
    }

    /** {@code find_or_alloc_existing_domain}: the record, made if the hypervisor knows the domain. */
    Domain findOrAllocExisting(int domid) {
        Domain d = byId.get(domid);
        if (d == null && xs.hypervisor().domainExists(domid)) {
            d = alloc(domid);
        }
        return d;
    }

    void remove(Domain d) {
        byId.remove(d.domid, d);
    }

    List<Domain> all() {
        return new ArrayList<>(byId.values());
    }

    /** A domain other than dom0 ({@code domid_is_unprivileged}). */
    static boolean unprivileged(int domid) {
        return domid != 0;
    }

    /**
     * {@code chk_domain_generation}: whether the domain's record is older than a node of generation
     * {@code generation} (so a permission naming it on that node means this domain, not an earlier one).
     */
    boolean olderThan(int domid, long generation) {
        Domain d = byId.get(domid);
        return d != null && Long.compareUnsigned(d.generation, generation) <= 0;
    }

    /** {@code domain_adjust_node_perms}: entries naming domains younger than the node, or gone, are ignored. */
    NodePerms adjust(NodePerms perms, long generation) {
        return perms.markIgnored(false, id -> !olderThan(id, generation));
    }

    /**
     * {@code domain_alloc_permrefs}: records made for the domains a new permission list names that the
     * hypervisor knows; entries for domains it does not know are marked ignored.
     */
    NodePerms allocPermRefs(NodePerms perms) {
        return perms.markIgnored(true, id -> {
            if (byId.containsKey(id)) {
                return false;
            }
            if (!xs.hypervisor().domainExists(id)) {
                return true;
            }
            alloc(id);
            return false;
        });
    }

    // ---- node counts

    /** {@code domain_entry}: the nodes the connection's domain owns, if the quota applies to it. */
    int entries(Connection conn) {
        return conn != null && conn.unprivileged() ? conn.domain.nodes : 0;
    }

    /** {@code domain_entry_inc}: one more node owned by the node's owner (in the transaction, if any). */
    void entryInc(Connection conn, Node node) throws XsError {
        int domid = node.perms.owner().id();
        if (conn != null && conn.transaction != null) {
            conn.transaction.entryChanged(domid, 1);
            return;
        }
        Domain d = conn != null && domid == conn.id && conn.domain != null ? conn.domain : findOrAllocExisting(domid);
        if (d == null) {
            throw new XsError(Errno.ENOMEM);
        }
        d.nodes++;
    }

    /** {@code domain_entry_dec}. */
    void entryDec(Connection conn, Node node) {
        int domid = node.perms.owner().id();
        if (conn != null && conn.transaction != null) {
            conn.transaction.entryChanged(domid, -1);
            return;
        }
        Domain d = conn != null && domid == conn.id && conn.domain != null ? conn.domain : byId.get(domid);
        if (d != null) {
            d.nodes--;
        } else {
            LOG.log(Level.WARNING, "node \"" + node.name + "\" owned by non-existing domain "
                    + Integer.toUnsignedString(domid));
        }
    }

    /**
     * {@code domain_entry_fix}: the domain's node count after a transaction's change of {@code delta}, as
     * the quota sees it (0 for dom0); applies it when {@code update}.
     *
     * @return the count, or -1 if the domain is unknown
     */
    int entryFix(int domid, int delta, boolean update) {
        Domain d = update ? byId.get(domid) : findOrAllocExisting(domid);
        if (d == null) {
            return -1;
        }
        int count = d.nodes + delta;
        if (update) {
            d.nodes = Math.max(count, 0);
        } else if (count < 0) {
            count = 0;
        }
        return unprivileged(domid) ? count : 0;
    }

    // ---- memory

    /**
     * {@code domain_memory_add}: charges {@code bytes} (negative: refunds) to the domain.
     *
     * @throws XsError ENOMEM if the domain is unprivileged, over its hard memory quota and {@code unchecked}
     *         is false; ENOENT if xenstored has no record of it
     */
    void memoryAdd(int domid, int bytes, boolean unchecked) throws XsError {
        Domain d = byId.get(domid);
        if (d == null) {
            LOG.log(Level.WARNING, "memory accounting for non-existing domain " + Integer.toUnsignedString(domid));
            throw new XsError(Errno.ENOENT);
        }
        if (overQuota(d, d.memory + bytes) && !unchecked) {
            throw new XsError(Errno.ENOMEM);
        }
        d.memory += bytes;
    }

    /** {@link #memoryAdd} without the quota check, for refunds and undos. */
    void memoryAddUnchecked(int domid, int bytes) {
        try {
            memoryAdd(domid, bytes, true);
        } catch (XsError ignored) {
            // logged by memoryAdd; xenstored goes on the same way
        }
    }

    /** {@code domain_chk_quota}: an unprivileged domain whose connection works, at or over the hard limit. */
    boolean overQuota(Domain d, int memory) {
        if (!unprivileged(d.domid) || (d.connection != null && d.connection.ignored)) {
            return false;
        }
        int hard = xs.limits().memory;
        return hard != 0 && memory >= hard;
    }

    // ---- special watch paths

    NodePerms specialPerms(String name) {
        return switch (name) {
            case RELEASE -> releasePerms;
            case INTRODUCE -> introducePerms;
            default -> null;
        };
    }

    /** {@code check_perms_special}: whether {@code conn} may see events of the special path {@code name}. */
    boolean specialReadable(String name, Connection conn) {
        NodePerms p = specialPerms(name);
        return p != null && (p.accessFor(conn) & Perm.READ) != 0;
    }

    /** {@code set_perms_special}. */
    void setSpecialPerms(Connection conn, String name, NodePerms perms) throws XsError {
        NodePerms current = specialPerms(name);
        if (current == null) {
            throw new XsError(Errno.EINVAL);
        }
        int need = Perm.WRITE | Perm.OWNER;
        if ((current.accessFor(conn) & need) != need) {
            throw new XsError(Errno.EACCES);
        }
        if (name.equals(RELEASE)) {
            releasePerms = perms;
        } else {
            introducePerms = perms;
        }
    }

    /** {@code remove_domid_from_perm} on both special paths. */
    void forgetInSpecialPerms(int domid) {
        releasePerms = releasePerms.withoutDomain(domid, 0);
        introducePerms = introducePerms.withoutDomain(domid, 0);
    }
}
