/**
 * Xen devices as OSGi services, after Linux's {@code xenbus_probe}: what management bundles see (one
 * {@link org.jxenbus.xenstore.api.device.XenbusDevice} service per device, whatever its state) and what driver
 * bundles implement ({@link org.jxenbus.xenstore.api.device.XenbusDriver}, a whiteboard service claiming a device
 * type on a bus) and use ({@link org.jxenbus.xenstore.api.device.BoundDevice}, the helpers of Linux's
 * {@code xenbus_client.c}).
 *
 * <p>The service properties ({@link org.jxenbus.xenstore.api.device.XenbusProperties}) and the Event Admin topics
 * ({@link org.jxenbus.xenstore.api.device.XenbusDeviceEvents}) are part of this package's contract.
 */
@Export
@Version("1.0.0")
package org.jxenbus.xenstore.api.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
