/*
 * Prints, as NAME=value lines, every ioctl number, struct size and field offset jxenbus's XenAbi uses,
 * computed by the compiler from Debian's libxen-dev headers. XenAbiTest compiles and runs it, and asserts
 * the Java constants equal these values.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <xen/xen.h> /* domid_t, which the device headers use without including */
#include <xen/sys/evtchn.h>
#include <xen/sys/gntalloc.h>
#include <xen/sys/gntdev.h>

#define NUM(name) printf("%s=%lu\n", #name, (unsigned long)(name))
#define OFF(type, field, name) printf("%s=%zu\n", name, offsetof(type, field))
#define SIZE(type, name) printf("%s=%zu\n", name, sizeof(type))

int main(void)
{
    NUM(IOCTL_EVTCHN_BIND_VIRQ);
    NUM(IOCTL_EVTCHN_BIND_INTERDOMAIN);
    NUM(IOCTL_EVTCHN_BIND_UNBOUND_PORT);
    NUM(IOCTL_EVTCHN_UNBIND);
    NUM(IOCTL_EVTCHN_NOTIFY);
    NUM(IOCTL_EVTCHN_RESET);

    NUM(IOCTL_GNTDEV_MAP_GRANT_REF);
    NUM(IOCTL_GNTDEV_UNMAP_GRANT_REF);
    OFF(struct ioctl_gntdev_map_grant_ref, count, "GNTDEV_MAP_COUNT");
    OFF(struct ioctl_gntdev_map_grant_ref, index, "GNTDEV_MAP_INDEX");
    printf("GNTDEV_MAP_REF_DOMID=%zu\n", offsetof(struct ioctl_gntdev_map_grant_ref, refs)
           + offsetof(struct ioctl_gntdev_grant_ref, domid));
    printf("GNTDEV_MAP_REF_REF=%zu\n", offsetof(struct ioctl_gntdev_map_grant_ref, refs)
           + offsetof(struct ioctl_gntdev_grant_ref, ref));
    SIZE(struct ioctl_gntdev_map_grant_ref, "GNTDEV_MAP_SIZE");
    OFF(struct ioctl_gntdev_unmap_grant_ref, index, "GNTDEV_UNMAP_INDEX");
    OFF(struct ioctl_gntdev_unmap_grant_ref, count, "GNTDEV_UNMAP_COUNT");
    SIZE(struct ioctl_gntdev_unmap_grant_ref, "GNTDEV_UNMAP_SIZE");

    NUM(IOCTL_GNTALLOC_ALLOC_GREF);
    NUM(IOCTL_GNTALLOC_DEALLOC_GREF);
    OFF(struct ioctl_gntalloc_alloc_gref, domid, "GNTALLOC_ALLOC_DOMID");
    OFF(struct ioctl_gntalloc_alloc_gref, flags, "GNTALLOC_ALLOC_FLAGS");
    OFF(struct ioctl_gntalloc_alloc_gref, count, "GNTALLOC_ALLOC_COUNT");
    OFF(struct ioctl_gntalloc_alloc_gref, index, "GNTALLOC_ALLOC_INDEX");
    OFF(struct ioctl_gntalloc_alloc_gref, gref_ids, "GNTALLOC_ALLOC_GREF_IDS");
    SIZE(struct ioctl_gntalloc_alloc_gref, "GNTALLOC_ALLOC_SIZE");
    NUM(GNTALLOC_FLAG_WRITABLE);
    OFF(struct ioctl_gntalloc_dealloc_gref, index, "GNTALLOC_DEALLOC_INDEX");
    OFF(struct ioctl_gntalloc_dealloc_gref, count, "GNTALLOC_DEALLOC_COUNT");
    SIZE(struct ioctl_gntalloc_dealloc_gref, "GNTALLOC_DEALLOC_SIZE");

    printf("POLLFD_SIZE=%zu\n", sizeof(struct { int fd; short events; short revents; }));
    return 0;
}
