/**
 * The xenstore wire protocol (xen/include/public/io/xs_wire.h, docs/misc/xenstore.txt) as pure functions:
 * message header, message types, error names, payload encodings, path rules and an incremental frame
 * decoder shared by every transport and by servers.
 *
 * <p>Malformed input gives a {@link org.jxenbus.xenstore.spi.wire.MalformedMessageException} (wire
 * data) or an {@link org.jxenbus.xenstore.api.InvalidPathException} (a path a caller gave), never an
 * unchecked exception from inside the codec. Everything here is stateless and thread-safe except
 * {@link org.jxenbus.xenstore.spi.wire.FrameDecoder}, which belongs to one reader.
 */
@Export
@Version("1.0.0")
package org.jxenbus.xenstore.spi.wire;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
