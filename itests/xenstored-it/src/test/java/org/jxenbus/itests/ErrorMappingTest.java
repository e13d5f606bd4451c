package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.AccessDeniedException;
import org.jxenbus.xenstore.api.ProtocolViolationException;
import org.jxenbus.xenstore.api.QuotaExceededException;
import org.jxenbus.xenstore.api.TooBigException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.wire.XsErrors;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Error names other servers send (oxenstored's EQUOTA, the pre-4.22 watch quota E2BIG, EPERM) and
 * malformed replies, injected by the proxy in place of xenstored's real reply; the typed exception keeps
 * the raw name and the connection goes on.
 */
@Tag("socket-only") // through the reordering proxy, which speaks to a socket
@ExtendWith(XenstoredExtension.class)
class ErrorMappingTest {

    @ParameterizedTest
    @CsvSource({
        "READ, EQUOTA, org.jxenbus.xenstore.api.QuotaExceededException",
        "READ, ENOSPC, org.jxenbus.xenstore.api.QuotaExceededException",
        "READ, E2BIG, org.jxenbus.xenstore.api.TooBigException",
        "WATCH, E2BIG, org.jxenbus.xenstore.api.QuotaExceededException",
        "READ, EPERM, org.jxenbus.xenstore.api.AccessDeniedException",
        "READ, EACCES, org.jxenbus.xenstore.api.AccessDeniedException",
        "READ, EBUSY, org.jxenbus.xenstore.api.XenstoreException",
        "READ, ENEWFUTURE, org.jxenbus.xenstore.api.XenstoreException"})
    void serverErrorNamesAreTypedByRequestAndKeptRaw(String op, String name, String type, FakeXenHost host)
            throws Exception {
        XsMessageType requestType = XsMessageType.valueOf("XS_" + op);
        try (ReorderingProxy proxy = ReorderingProxy.start(host); XenstoreConnection xs = Xenstore.open(proxy.uri())) {
            xs.write("/err/node", "v");
            proxy.rewriteReplies(replaceReplyTo(requestType, m -> new XsMessage(XsMessageType.XS_ERROR.code(),
                    m.reqId(), m.txId(), XsErrors.payload(name))));
            XenstoreException e = assertThrows(XenstoreException.class, () -> {
                if (requestType == XsMessageType.XS_WATCH) {
                    xs.watch("/err/node", ev -> { });
                } else {
                    xs.read("/err/node");
                }
            });
            assertEquals(Class.forName(type), e.getClass());
            assertEquals(name, e.errorName());
            proxy.rewriteReplies(null);
            assertEquals("v", xs.read("/err/node"), "the connection goes on");
        }
    }

    @Test
    void aReplyOfTheWrongTypeIsAProtocolViolationForThatRequestOnly(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host); XenstoreConnection xs = Xenstore.open(proxy.uri())) {
            xs.write("/err/wrongtype", "v");
            proxy.rewriteReplies(replaceReplyTo(XsMessageType.XS_READ, m -> new XsMessage(
                    XsMessageType.XS_DIRECTORY.code(), m.reqId(), m.txId(), m.payload())));
            ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                    () -> xs.read("/err/wrongtype"));
            assertEquals(null, e.errorName());
            proxy.rewriteReplies(null);
            assertEquals("v", xs.read("/err/wrongtype"));
        }
    }

    @Test
    void anErrorReplyWithoutItsNulIsAProtocolViolation(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host); XenstoreConnection xs = Xenstore.open(proxy.uri())) {
            xs.write("/err/x", "first");
            proxy.rewriteReplies(replaceReplyTo(XsMessageType.XS_READ, m -> new XsMessage(XsMessageType.XS_ERROR.code(),
                    m.reqId(), m.txId(), "ENOENT".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
            ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> xs.read("/err/x"));
            assertInstanceOf(XenstoreException.class, e);
            proxy.rewriteReplies(null);
            xs.write("/err/x", "fine");
            assertEquals("fine", xs.read("/err/x"));
        }
    }

    @Test
    void typedErrorsAreAlsoXenstoreExceptions() {
        assertInstanceOf(XenstoreException.class, new QuotaExceededException("m", "EQUOTA"));
        assertInstanceOf(XenstoreException.class, new TooBigException("m", "E2BIG"));
        assertInstanceOf(XenstoreException.class, new AccessDeniedException("m", "EACCES"));
    }

    /** Replaces xenstored's reply to requests of one type; the reply's type tells which request it answers. */
    private static Function<XsMessage, List<XsMessage>> replaceReplyTo(XsMessageType type,
            Function<XsMessage, XsMessage> replacement) {
        return m -> m.type() == type.code() ? List.of(replacement.apply(m)) : List.of(m);
    }
}
