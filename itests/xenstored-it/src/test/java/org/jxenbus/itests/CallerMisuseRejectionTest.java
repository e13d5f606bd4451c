package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.Access;
import org.jxenbus.xenstore.api.InvalidPathException;
import org.jxenbus.xenstore.api.Permission;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.TooBigException;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreOperations;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;
import org.jxenbus.xenstore.client.Xenstore;

/**
 * Bad input from callers (issue 13), beyond {@link ClientSideRejectionTest}'s paths and sizes: NUL and
 * dot components, each verb's path check, transaction and permission misuse, use after close of the
 * connection, a transaction and the watch service, and null arguments. Every case is refused with a typed
 * exception whose message names the reason, and is proved never to reach the wire twice over: the proxy in
 * front of the real xenstored records no request, and the connection's {@code requestsSent} does not move.
 * A valid request after the cases does reach the server, so the counting itself works.
 */
@Tag("socket-only") // through the reordering proxy, which speaks to a socket
@ExtendWith(XenstoredExtension.class)
class CallerMisuseRejectionTest {

    ReorderingProxy proxy;
    XenstoreConnection xs;
    int cases;

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

    /** Runs {@code call}, which must throw {@code type} naming {@code reason}, with nothing sent. */
    private <T extends Throwable> T rejected(Class<T> type, String reason, Executable call) {
        int seen = proxy.requests().size();
        long sent = xs.statistics().requestsSent();
        T e = assertThrows(type, call);
        assertTrue(String.valueOf(e.getMessage()).contains(reason), "\"" + e.getMessage() + "\" lacks " + reason);
        assertEquals(seen, proxy.requests().size(), () -> "reached the wire: " + proxy.requests());
        assertEquals(sent, xs.statistics().requestsSent(), "requests sent");
        cases++;
        return e;
    }

    /** A valid request after the rejected ones is sent and seen: the two counts above can move. */
    private void countingStillWorks(int expectedCases) {
        assertEquals(expectedCases, cases, "cases run");
        int seen = proxy.requests().size();
        xs.write("/misuse/after", "ok");
        assertEquals(seen + 1, proxy.requests().size());
        assertEquals("ok", xs.read("/misuse/after"));
    }

    @Test
    void pathsWithNulDotsOrControlCharactersAreRefused() {
        assertEquals("EINVAL", rejected(InvalidPathException.class, "U+0000", () -> xs.read("/a\0b")).errorName());
        rejected(InvalidPathException.class, "'.'", () -> xs.write("/local/../etc", "v"));
        rejected(InvalidPathException.class, "'.'", () -> xs.mkdir("/a/./b"));
        rejected(InvalidPathException.class, "'.'", () -> xs.rm(".."));
        rejected(InvalidPathException.class, "U+000A", () -> xs.directory("/a\nb"));
        rejected(InvalidPathException.class, "U+0009", () -> xs.exists("/a\tb"));
        rejected(InvalidPathException.class, "'*'", () -> xs.getPermissions("/a/*"));
        rejected(InvalidPathException.class, "'\\'", () -> xs.read("\\a"));
        countingStillWorks(8);
    }

    @Test
    void everyVerbChecksItsPath() {
        rejected(InvalidPathException.class, "ends with \"/\"", () -> xs.mkdir("/misuse/dir/"));
        rejected(InvalidPathException.class, "contains \"//\"", () -> xs.rm("/misuse//x"));
        rejected(InvalidPathException.class, "path is empty", () -> xs.directory(""));
        rejected(InvalidPathException.class, "ends with \"/\"", () -> xs.exists("/misuse/"));
        rejected(InvalidPathException.class, "contains \"//\"", () -> xs.readBytes("//"));
        rejected(InvalidPathException.class, "exceeds 3072", () -> xs.write("/" + "a".repeat(3072), "v"));
        rejected(InvalidPathException.class, "exceeds 2048", () -> xs.mkdir("a".repeat(2049)));
        rejected(InvalidPathException.class, "contains \"//\"", () -> xs.async().read("/a//b"));
        try (Transaction tx = xs.beginTransaction()) {
            rejected(InvalidPathException.class, "ends with \"/\"", () -> tx.read("/misuse/"));
        }
        countingStillWorks(9);
    }

    @Test
    void oversizeValuesAreRefusedInTransactionsToo() {
        String path = "/misuse/big";
        int fits = 4096 - path.length() - 1;
        try (Transaction tx = xs.beginTransaction()) {
            int before = proxy.requests().size();
            rejected(TooBigException.class, String.valueOf(4096 + 1), () -> tx.write(path, new byte[fits + 1]));
            rejected(TooBigException.class, "4096", () -> tx.write(path, "x".repeat(fits + 100)));
            assertEquals(before, proxy.requests().size());
        }
        countingStillWorks(2);
    }

    @Test
    void invalidPermissionSpecificationsNeverReachTheWire() {
        rejected(IllegalArgumentException.class, "not a permission letter: 'x'", () -> xs.setPermissions(
                "/misuse/p", Permissions.parse("x0")));
        rejected(IllegalArgumentException.class, "at least the owner entry", () -> xs.setPermissions("/misuse/p",
                Permissions.parse("")));
        rejected(IllegalArgumentException.class, "out of range", () -> xs.setPermissions("/misuse/p",
                Permissions.of(0, Access.NONE, new Permission(65536, Access.READ))));
        rejected(IllegalArgumentException.class, "not a permission entry", () -> Permissions.parse("r-1"));
        rejected(NullPointerException.class, "", () -> xs.setPermissions("/misuse/p", null));
        countingStillWorks(5);
    }

    @Test
    void anEndedTransactionRefusesEveryVerb() {
        Transaction committed = xs.beginTransaction();
        committed.commit();
        rejected(IllegalStateException.class, "has ended", () -> committed.read("/misuse/t"));
        rejected(IllegalStateException.class, "has ended", () -> committed.write("/misuse/t", "v"));
        rejected(IllegalStateException.class, "has ended", committed::commit);
        rejected(IllegalStateException.class, "has ended", committed::abort);
        committed.close(); // closing an ended transaction does nothing, sends nothing
        Transaction aborted = xs.beginTransaction();
        aborted.abort();
        rejected(IllegalStateException.class, "has ended", () -> aborted.async().directory("/"));
        rejected(IllegalStateException.class, "has ended", aborted::commit);
        AtomicReference<XenstoreOperations> escaped = new AtomicReference<>();
        xs.transaction(tx -> {
            escaped.set(tx);
            return tx.exists("/");
        });
        rejected(IllegalStateException.class, "has ended", () -> escaped.get().write("/misuse/escaped", "v"));
        countingStillWorks(7);
    }

    @Test
    void nullArgumentsAreRefusedWithTheirName() {
        rejected(InvalidPathException.class, "path is null", () -> xs.mkdir(null));
        rejected(InvalidPathException.class, "path is null", () -> xs.rm(null));
        rejected(NullPointerException.class, "", () -> xs.write("/misuse/n", (byte[]) null));
        rejected(NullPointerException.class, "", () -> xs.watch("/misuse/n", null));
        rejected(NullPointerException.class, "", () -> xs.transaction(null));
        try (OwnedWatchService watches = Xenstore.watches(xs)) {
            rejected(NullPointerException.class, "path", () -> watches.watch(null, changed -> { }));
            rejected(NullPointerException.class, "listener", () -> watches.watch("/misuse/n", null));
        }
        countingStillWorks(7);
    }

    @Test
    void aClosedWatchServiceAndAClosedConnectionRefuseWork() throws Exception {
        OwnedWatchService watches = Xenstore.watches(xs);
        watches.close();
        rejected(IllegalStateException.class, "closed", () -> watches.watch("/misuse/w", changed -> { }));
        countingStillWorks(1);

        XenstoreConnection second = Xenstore.open(proxy.uri());
        second.write("/misuse/second", "v");
        second.close();
        int seen = proxy.requests().size();
        for (Executable call : new Executable[] {() -> second.read("/misuse/second"),
            () -> second.write("/misuse/second", "w"), second::beginTransaction,
            () -> second.watch("/misuse/second", ev -> { })}) {
            Throwable e = assertThrows(RuntimeException.class, call);
            assertTrue(String.valueOf(e.getMessage()).contains("closed"), e.getMessage());
        }
        assertEquals(seen, proxy.requests().size(), () -> "a closed connection sent " + proxy.requests());
        second.close(); // idempotent
    }
}
