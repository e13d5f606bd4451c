package org.jxenbus.transport.xendev;

/**
 * The ioctl numbers and struct layouts of the Linux Xen devices that jxenbus uses, x86_64 (and aarch64,
 * which shares them). Values from shared/reference/XEN-DEVICE-ABI.md §1, checked against gcc and the
 * libxen-dev headers by {@code XenAbiTest}. All Xen ioctls are {@code _IOC(_IOC_NONE, type, nr, size)}.
 */
public final class XenAbi {

    private XenAbi() {
    }

    /** {@code IOCTL_EVTCHN_BIND_VIRQ}: {@code {u32 virq}}; returns the local port. */
    public static final long IOCTL_EVTCHN_BIND_VIRQ = 0x00044500L;
    /** {@code IOCTL_EVTCHN_BIND_INTERDOMAIN}: {@code {u32 remote_domain, u32 remote_port}}; returns the port. */
    public static final long IOCTL_EVTCHN_BIND_INTERDOMAIN = 0x00084501L;
    /** {@code IOCTL_EVTCHN_BIND_UNBOUND_PORT}: {@code {u32 remote_domain}}; returns the local port. */
    public static final long IOCTL_EVTCHN_BIND_UNBOUND_PORT = 0x00044502L;
    /** {@code IOCTL_EVTCHN_UNBIND}: {@code {u32 port}}. */
    public static final long IOCTL_EVTCHN_UNBIND = 0x00044503L;
    /** {@code IOCTL_EVTCHN_NOTIFY}: {@code {u32 port}}. */
    public static final long IOCTL_EVTCHN_NOTIFY = 0x00044504L;
    /** {@code IOCTL_EVTCHN_RESET}: no argument. */
    public static final long IOCTL_EVTCHN_RESET = 0x00004505L;

    /** {@code IOCTL_GNTDEV_MAP_GRANT_REF}: 24 bytes (one ref). */
    public static final long IOCTL_GNTDEV_MAP_GRANT_REF = 0x00184700L;
    /** {@code IOCTL_GNTDEV_UNMAP_GRANT_REF}: 16 bytes. */
    public static final long IOCTL_GNTDEV_UNMAP_GRANT_REF = 0x00104701L;
    /** {@code struct ioctl_gntdev_map_grant_ref}: {@code count} at 0. */
    public static final int GNTDEV_MAP_COUNT = 0;
    /** ... {@code index} (OUT, u64, a byte offset to pass to mmap) at 8. */
    public static final int GNTDEV_MAP_INDEX = 8;
    /** ... {@code refs[0].domid} (u32) at 16. */
    public static final int GNTDEV_MAP_REF_DOMID = 16;
    /** ... {@code refs[0].ref} (u32) at 20. */
    public static final int GNTDEV_MAP_REF_REF = 20;
    /** {@code sizeof(struct ioctl_gntdev_map_grant_ref)} with one ref. */
    public static final int GNTDEV_MAP_SIZE = 24;
    /** {@code struct ioctl_gntdev_unmap_grant_ref}: {@code index} (u64) at 0, {@code count} at 8; 16 bytes. */
    public static final int GNTDEV_UNMAP_INDEX = 0;
    /** ... {@code count} at 8. */
    public static final int GNTDEV_UNMAP_COUNT = 8;
    /** {@code sizeof(struct ioctl_gntdev_unmap_grant_ref)}. */
    public static final int GNTDEV_UNMAP_SIZE = 16;

    /** {@code IOCTL_GNTALLOC_ALLOC_GREF}: 24 bytes (one page). */
    public static final long IOCTL_GNTALLOC_ALLOC_GREF = 0x00184705L;
    /** {@code IOCTL_GNTALLOC_DEALLOC_GREF}: 16 bytes. */
    public static final long IOCTL_GNTALLOC_DEALLOC_GREF = 0x00104706L;
    /** {@code struct ioctl_gntalloc_alloc_gref}: {@code domid} (u16) at 0. */
    public static final int GNTALLOC_ALLOC_DOMID = 0;
    /** ... {@code flags} (u16) at 2. */
    public static final int GNTALLOC_ALLOC_FLAGS = 2;
    /** ... {@code count} (u32) at 4. */
    public static final int GNTALLOC_ALLOC_COUNT = 4;
    /** ... {@code index} (OUT, u64) at 8. */
    public static final int GNTALLOC_ALLOC_INDEX = 8;
    /** ... {@code gref_ids[0]} (OUT, u32) at 16. */
    public static final int GNTALLOC_ALLOC_GREF_IDS = 16;
    /** {@code sizeof(struct ioctl_gntalloc_alloc_gref)} with one page. */
    public static final int GNTALLOC_ALLOC_SIZE = 24;
    /** {@code GNTALLOC_FLAG_WRITABLE}. */
    public static final int GNTALLOC_FLAG_WRITABLE = 1;
    /** {@code struct ioctl_gntalloc_dealloc_gref}: {@code index} (u64) at 0, {@code count} at 8; 16 bytes. */
    public static final int GNTALLOC_DEALLOC_INDEX = 0;
    /** ... {@code count} at 8. */
    public static final int GNTALLOC_DEALLOC_COUNT = 8;
    /** {@code sizeof(struct ioctl_gntalloc_dealloc_gref)}. */
    public static final int GNTALLOC_DEALLOC_SIZE = 16;

    /** {@code GNTTAB_RESERVED_XENSTORE}: the grant reference of a domain's xenstore ring. */
    public static final int GNTTAB_RESERVED_XENSTORE = 1;
    /** {@code VIRQ_DOM_EXC}: a domain died or changed state. */
    public static final int VIRQ_DOM_EXC = 3;
    /** {@code DOMID_SELF}. */
    public static final int DOMID_SELF = 0x7ff0;
    /** The page size of every mapping here. */
    public static final int PAGE_SIZE = 4096;
}
