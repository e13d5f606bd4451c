/**
 * The Linux Xen device files through JNA, shared by the transport bundles and by nothing else:
 * {@link org.jxenbus.transport.xendev.EvtchnDevice} ({@code /dev/xen/evtchn}),
 * {@link org.jxenbus.transport.xendev.GrantMapper} ({@code /dev/xen/gntdev}),
 * {@link org.jxenbus.transport.xendev.GrantAllocator} ({@code /dev/xen/gntalloc}),
 * {@link org.jxenbus.transport.xendev.StoreInterface} ({@code /proc/xen/xsd_kva}, {@code xsd_port}),
 * {@link org.jxenbus.transport.xendev.XenbusDevice} ({@code /dev/xen/xenbus}), the ioctl numbers and
 * struct layouts ({@link org.jxenbus.transport.xendev.XenAbi}) and the libc calls ({@link
 * org.jxenbus.transport.xendev.LibC}). Nothing blocks inside a native call except {@code poll} with a
 * timeout; no mapped page can be touched after it is unmapped.
 *
 * <p>Facts: shared/reference/XEN-DEVICE-ABI.md. Linux x86_64 and aarch64 (LP64, asm-generic flags).
 */
@Export
@Version("1.0.0")
package org.jxenbus.transport.xendev;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
