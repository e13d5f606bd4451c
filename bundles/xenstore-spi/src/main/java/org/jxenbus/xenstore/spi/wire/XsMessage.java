package org.jxenbus.xenstore.spi.wire;

import java.util.Objects;

/**
 * One whole xenstore message: the 16-byte {@code struct xsd_sockmsg} header fields and the payload.
 * The numbers are the wire's unsigned 32-bit values held in {@code int}s. The payload array is not copied:
 * whoever builds a message hands it over and must not change it afterwards.
 *
 * @param type the message type number (see {@link XsMessageType}); unknown numbers are kept
 * @param reqId the request id, echoed in the reply
 * @param txId the transaction id, 0 outside a transaction
 * @param payload the payload, at most {@link XsWire#XENSTORE_PAYLOAD_MAX} bytes
 */
public record XsMessage(int type, int reqId, int txId, byte[] payload) {

    /** Checks the payload is present and within the protocol limit. */
    public XsMessage {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > XsWire.XENSTORE_PAYLOAD_MAX) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds XENSTORE_PAYLOAD_MAX "
                    + XsWire.XENSTORE_PAYLOAD_MAX);
        }
    }

    /** The known type, or {@code null} for an unknown number. */
    public XsMessageType knownType() {
        return XsMessageType.ofCode(type);
    }

    /** Header plus payload size in bytes. */
    public int wireSize() {
        return XsWire.HEADER_SIZE + payload.length;
    }

    /** This message with another request id. */
    public XsMessage withReqId(int newReqId) {
        return new XsMessage(type, newReqId, txId, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XsMessage m && m.type == type && m.reqId == reqId && m.txId == txId
                && java.util.Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, reqId, txId, java.util.Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return XsMessageType.nameOf(type) + " req_id=" + Integer.toUnsignedString(reqId) + " tx_id="
                + Integer.toUnsignedString(txId) + " len=" + payload.length;
    }
}
