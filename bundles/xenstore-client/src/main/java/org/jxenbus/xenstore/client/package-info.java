/**
 * The plain-Java entry point: {@link org.jxenbus.xenstore.client.Xenstore#open(String)} for programs on the
 * class path or module path. Inside OSGi, get {@code XenstoreService} from the service registry instead.
 */
@Export
@Version("1.0.0")
package org.jxenbus.xenstore.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
