package org.jxenbus.xenstore.core.internal;

import java.util.List;

import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.ProtocolViolationException;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;

/**
 * Reads a successful reply's payload as the value its verb returns. A malformed payload becomes a
 * {@link ProtocolViolationException} naming the request.
 */
final class Replies {

    private Replies() {
    }

    /** The value bytes of a READ reply, as sent (no trailing NUL is stripped: values have none). */
    static byte[] bytes(XsMessage reply) {
        return reply.payload();
    }

    /** The single string of replies such as {@code OK}, a transaction id or a domain path. */
    static String string(XsMessage reply, String description) {
        try {
            return Payloads.singleString(reply.payload());
        } catch (MalformedMessageException e) {
            throw malformed(description, e);
        }
    }

    /** The names of a DIRECTORY reply. */
    static List<String> names(XsMessage reply, String description) {
        try {
            return Payloads.stringList(reply.payload());
        } catch (MalformedMessageException e) {
            throw malformed(description, e);
        }
    }

    /** The permissions of a GET_PERMS reply. */
    static Permissions permissions(XsMessage reply, String description) {
        try {
            return Payloads.permissions(reply.payload());
        } catch (MalformedMessageException e) {
            throw malformed(description, e);
        }
    }

    /** One part of a DIRECTORY_PART listing. */
    static Payloads.DirectoryPart directoryPart(XsMessage reply, String description) {
        try {
            return Payloads.directoryPart(reply.payload());
        } catch (MalformedMessageException e) {
            throw malformed(description, e);
        }
    }

    /** A transaction id: unsigned decimal, non-zero. */
    static int transactionId(XsMessage reply, String description) {
        String text = string(reply, description);
        try {
            long id = Long.parseLong(text);
            if (id <= 0 || id > 0xffffffffL) {
                throw new NumberFormatException("out of range");
            }
            return (int) id;
        } catch (NumberFormatException e) {
            throw new ProtocolViolationException(description + ": transaction id \"" + text + "\" is not an unsigned "
                    + "32-bit non-zero number", null);
        }
    }

    static ProtocolViolationException malformed(String description, MalformedMessageException e) {
        return new ProtocolViolationException(description + ": malformed reply: " + e.getMessage(), null, e);
    }
}
