package org.jxenbus.xenstore.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The unix socket: owner-only, privileged clients, a client breaking the protocol dropped alone. */
class SocketServingTest {

    Path dir;
    XenstoreSimulator sim;
    Endpoint socket;

    @BeforeEach
    void serve() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-sock-");
        sim = XenstoreSimulator.start();
        socket = sim.serveSocket(dir.resolve("socket"));
    }

    @AfterEach
    void stop() throws IOException {
        socket.close();
        sim.close();
        Files.deleteIfExists(dir.resolve("socket"));
        Files.delete(dir);
    }

    @Test
    void theSocketIsOwnerOnlyAndGoesWhenClosed() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("socket"))));
        socket.close();
        assertFalse(Files.exists(dir.resolve("socket")));
    }

    @Test
    void aClientAnnouncingAnOversizePayloadIsDisconnectedAndOthersGoOn() throws IOException {
        try (SocketChannel bad = connect(); SocketChannel good = connect()) {
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            header.putInt(XsMessageType.XS_READ.code()).putInt(1).putInt(0).putInt(XsWire.XENSTORE_PAYLOAD_MAX + 1)
                    .flip();
            bad.write(header);
            ByteBuffer in = ByteBuffer.allocate(64);
            assertEquals(-1, bad.read(in), "xenstored drops a client announcing more than XENSTORE_PAYLOAD_MAX");
            assertEquals("/local/domain/0", request(good, XsMessageType.XS_GET_DOMAIN_PATH, "0"));
        }
    }

    @Test
    void socketClientsArePrivilegedWithDom0sRelativePaths() throws IOException {
        try (SocketChannel c = connect()) {
            assertEquals("OK", request(c, XsMessageType.XS_WRITE, "rel/x"));
            assertEquals("", request(c, XsMessageType.XS_READ, "/local/domain/0/rel/x"));
            assertEquals("F", request(c, XsMessageType.XS_IS_DOMAIN_INTRODUCED, "5"));
        }
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("socket")));
    }

    private static String request(SocketChannel c, XsMessageType type, String arg) throws IOException {
        byte[] payload = type == XsMessageType.XS_WRITE ? Payloads.pathAndValue(arg, new byte[0])
                : Payloads.strings(arg);
        c.write(ByteBuffer.wrap(XsWire.encode(new XsMessage(type.code(), 7, 0, payload))));
        ByteBuffer header = ByteBuffer.allocate(16).order(XsWire.BYTE_ORDER);
        while (header.hasRemaining()) {
            if (c.read(header) < 0) {
                throw new IOException("EOF");
            }
        }
        ByteBuffer body = ByteBuffer.allocate(header.getInt(12));
        while (body.hasRemaining()) {
            if (c.read(body) < 0) {
                throw new IOException("EOF");
            }
        }
        String text = new String(body.array(), java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.endsWith("\0") ? text.substring(0, text.length() - 1) : text;
    }

    @Test
    void aSecondSimulatorCannotTakeAName() {
        try (XenstoreSimulator a = XenstoreSimulator.start(SimulatorOptions.defaults().withName("taken"))) {
            assertThrows(IllegalStateException.class,
                    () -> XenstoreSimulator.start(SimulatorOptions.defaults().withName("taken")));
        }
    }
}
