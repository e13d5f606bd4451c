package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.Access;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.Permission;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every verb against xenstored (over the socket, and again over dom0's ring), each reply checked exactly. */
@ExtendWith(XenstoredExtension.class)
class OperationsTest {

    static XenstoreConnection xs;

    @BeforeAll
    static void connect(FakeXenHost host) {
        xs = Xenstore.open(host.clientUri());
    }

    @AfterAll
    static void close() {
        xs.close();
    }

    @Test
    void writeThenReadGivesTheValueBack() {
        xs.write("/ops/a", "hello");
        assertEquals("hello", xs.read("/ops/a"));
    }

    @Test
    void valuesKeepEveryByteIncludingNul() {
        byte[] v = {0, 1, 2, (byte) 0xff, 0};
        xs.write("/ops/bytes", v);
        assertArrayEquals(v, xs.readBytes("/ops/bytes"));
    }

    @Test
    void emptyValueReadsBackEmpty() {
        xs.write("/ops/empty", "");
        assertEquals("", xs.read("/ops/empty"));
    }

    @Test
    void largestValueFitsThePayloadExactly() {
        String path = "/ops/big";
        byte[] v = new byte[4096 - path.length() - 1];
        java.util.Arrays.fill(v, (byte) 'x');
        xs.write(path, v);
        assertArrayEquals(v, xs.readBytes(path));
    }

    @Test
    void writeCreatesMissingParentsWithEmptyValues() {
        xs.write("/ops/p1/p2/leaf", "v");
        assertEquals("", xs.read("/ops/p1"));
        assertEquals("", xs.read("/ops/p1/p2"));
        assertEquals(List.of("leaf"), xs.directory("/ops/p1/p2"));
    }

    @Test
    void missingNodeIsNoSuchNodeWithServerName() {
        NoSuchNodeException e = assertThrows(NoSuchNodeException.class, () -> xs.read("/ops/missing"));
        assertEquals("ENOENT", e.errorName());
        assertTrue(e.getMessage().contains("READ /ops/missing"), e.getMessage());
    }

    @Test
    void mkdirCreatesAnEmptyNodeAndKeepsAnExistingValue() {
        xs.mkdir("/ops/mk/a/b");
        assertEquals("", xs.read("/ops/mk/a/b"));
        xs.write("/ops/mk/v", "keep");
        xs.mkdir("/ops/mk/v");
        assertEquals("keep", xs.read("/ops/mk/v"));
    }

    @Test
    void rmRemovesTheWholeSubtree() {
        xs.write("/ops/rm/a/b", "1");
        xs.write("/ops/rm/c", "2");
        xs.rm("/ops/rm");
        assertFalse(xs.exists("/ops/rm"));
        assertThrows(NoSuchNodeException.class, () -> xs.read("/ops/rm/a/b"));
    }

    @Test
    void rmOfMissingNodeSucceedsButMissingParentIsEnoent() {
        xs.write("/ops/rmp", "");
        xs.rm("/ops/rmp/absent");
        NoSuchNodeException e = assertThrows(NoSuchNodeException.class, () -> xs.rm("/ops/nothere/absent"));
        assertEquals("ENOENT", e.errorName());
    }

    @Test
    void directoryListsChildNamesInCreationOrder() {
        xs.write("/ops/dir/y", "1");
        xs.write("/ops/dir/x", "2");
        xs.write("/ops/dir/z/deep", "3");
        assertEquals(List.of("y", "x", "z"), xs.directory("/ops/dir"));
        assertEquals(List.of(), xs.directory("/ops/dir/x"));
        assertThrows(NoSuchNodeException.class, () -> xs.directory("/ops/nodir"));
    }

    @Test
    void existsTellsPresence() {
        xs.write("/ops/ex", "");
        assertTrue(xs.exists("/ops/ex"));
        assertFalse(xs.exists("/ops/nope"));
    }

    @Test
    void nodesWrittenByDom0AreOwnedByDom0WithNoAccessForOthers() {
        xs.write("/ops/perm", "v");
        assertEquals(Permissions.of(0, Access.NONE), xs.getPermissions("/ops/perm"));
    }

    @Test
    void setPermissionsIsReadBackExactly() {
        xs.write("/ops/perm2", "v");
        Permissions p = Permissions.of(0, Access.READ, new Permission(7, Access.BOTH), new Permission(9, Access.WRITE));
        xs.setPermissions("/ops/perm2", p);
        assertEquals("r0 b7 w9", xs.getPermissions("/ops/perm2").toString());
    }

    @Test
    void childrenInheritTheParentsPermissions() {
        xs.write("/ops/inherit", "");
        xs.setPermissions("/ops/inherit", Permissions.parse("n0 r3"));
        xs.write("/ops/inherit/child", "");
        assertEquals("n0 r3", xs.getPermissions("/ops/inherit/child").toString());
    }

    @Test
    void permissionsOwnedByAnUnknownDomainAreEnoentOnXenstored417() {
        xs.write("/ops/perm3", "v");
        NoSuchNodeException e = assertThrows(NoSuchNodeException.class,
                () -> xs.setPermissions("/ops/perm3", Permissions.parse("n77")));
        assertEquals("ENOENT", e.errorName());
        assertEquals("n0", xs.getPermissions("/ops/perm3").toString());
    }

    @Test
    void domainPathIsLocalDomain() {
        assertEquals("/local/domain/5", xs.getDomainPath(5));
        assertEquals("/local/domain/0", xs.getDomainPath(0));
    }

    @Test
    void relativePathsOnTheSocketResolveUnderDom0sHome() {
        xs.write("relative/node", "r");
        assertEquals("r", xs.read("/local/domain/0/relative/node"));
        assertEquals("r", xs.read("relative/node"));
    }

    @Test
    void asyncFormsCompleteWithTheSameValues() throws Exception {
        var a = xs.async();
        a.write("/ops/async", "v").get(5, TimeUnit.SECONDS);
        CompletableFuture<String> r = a.read("/ops/async");
        CompletableFuture<List<String>> d = a.directory("/ops");
        CompletableFuture<Boolean> e = a.exists("/ops/async");
        assertEquals("v", r.get(5, TimeUnit.SECONDS));
        assertTrue(d.get(5, TimeUnit.SECONDS).contains("async"));
        assertTrue(e.get(5, TimeUnit.SECONDS));
        var missing = a.read("/ops/async-missing");
        var ex = assertThrows(java.util.concurrent.ExecutionException.class, () -> missing.get(5, TimeUnit.SECONDS));
        assertTrue(ex.getCause() instanceof NoSuchNodeException, ex.toString());
    }
}
