package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.InvalidPathException;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.TooBigException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad paths and oversize values are refused with typed errors before the wire: the proxy in front of
 * xenstored proves nothing was sent, and a following valid request still works.
 */
@Tag("socket-only") // through the reordering proxy, which speaks to a socket
@ExtendWith(XenstoredExtension.class)
class ClientSideRejectionTest {

    ReorderingProxy proxy;
    XenstoreConnection xs;

    @BeforeEach
    void open(FakeXenHost host) throws Exception {
        proxy = ReorderingProxy.start(host);
        xs = Xenstore.open(proxy.uri());
    }

    @AfterEach
    void close() throws Exception {
        xs.close();
        proxy.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a//b", "/trailing/", "/sp ace", "/dot.dot", "/non\u00e9ascii"})
    void badPathsNeverReachTheWire(String path) {
        InvalidPathException e = assertThrows(InvalidPathException.class, () -> xs.read(path));
        assertEquals("EINVAL", e.errorName());
        assertThrows(InvalidPathException.class, () -> xs.write(path, "v"));
        assertThrows(InvalidPathException.class, () -> xs.async().rm(path));
        assertThrows(InvalidPathException.class, () -> xs.watch(path, ev -> { }));
        assertThrows(InvalidPathException.class, () -> xs.setPermissions(path, Permissions.parse("n0")));
        assertEquals(0, proxy.requests().size(), proxy.requests().toString());
    }

    @Test
    void overlongPathsNeverReachTheWire() {
        assertThrows(InvalidPathException.class, () -> xs.read("/" + "a".repeat(3072)));
        assertThrows(InvalidPathException.class, () -> xs.read("a".repeat(2049)));
        assertEquals(0, proxy.requests().size());
    }

    @Test
    void oversizeValueIsTooBigBeforeTheWire() {
        String path = "/rej/v";
        byte[] fits = new byte[4096 - path.length() - 1];
        TooBigException e = assertThrows(TooBigException.class, () -> xs.write(path, new byte[fits.length + 1]));
        assertEquals("E2BIG", e.errorName());
        assertTrue(e.getMessage().contains("4097"), e.getMessage());
        assertEquals(0, proxy.requests().size());
        xs.write(path, fits);
        assertEquals(1, proxy.requests().size());
    }

    @Test
    void nullArgumentsAreRejectedPlainly() {
        assertThrows(InvalidPathException.class, () -> xs.read(null));
        assertThrows(NullPointerException.class, () -> xs.write("/rej/n", (String) null));
        assertEquals(0, proxy.requests().size());
    }
}
