package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(XenstoredExtension.class)
class SocketOperationsTest {

    static XenstoreConnection xs;

    @BeforeAll
    static void connect(FakeXenHost host) {
        xs = Xenstore.open(host.socketUri());
    }

    @AfterAll
    static void close() {
        xs.close();
    }

    @Test
    void writeThenReadGivesTheValueBack() {
        xs.write("/test/a", "hello");
        assertEquals("hello", xs.read("/test/a"));
    }

    @Test
    void valuesKeepEveryByteIncludingNul() {
        byte[] v = {0, 1, 2, (byte) 0xff, 0};
        xs.write("/test/bytes", v);
        assertArrayEquals(v, xs.readBytes("/test/bytes"));
    }

    @Test
    void missingNodeIsNoSuchNodeWithServerName() {
        NoSuchNodeException e = assertThrows(NoSuchNodeException.class, () -> xs.read("/test/missing"));
        assertEquals("ENOENT", e.errorName());
    }

    @Test
    void directoryListsChildNames() {
        xs.write("/test/dir/x", "1");
        xs.write("/test/dir/y", "2");
        assertEquals(List.of("x", "y"), xs.directory("/test/dir"));
    }

    @Test
    void permissionsRoundTrip() {
        xs.write("/test/perm", "v");
        assertEquals("n0", xs.getPermissions("/test/perm").toString());
        xs.setPermissions("/test/perm", Permissions.parse("n0 r0"));
        assertEquals("n0 r0", xs.getPermissions("/test/perm").toString());
    }

    @Test
    void existsTellsPresence() {
        xs.write("/test/ex", "");
        assertTrue(xs.exists("/test/ex"));
        assertFalse(xs.exists("/test/nope"));
    }

    @Test
    void domainPathIsLocalDomain() {
        assertEquals("/local/domain/5", xs.getDomainPath(5));
    }
}
