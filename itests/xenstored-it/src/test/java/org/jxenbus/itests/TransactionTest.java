package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConflictException;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Transactions against xenstored's conflict rule (generation of every node read). */
@ExtendWith(XenstoredExtension.class)
class TransactionTest {

    XenstoreConnection xs;

    /** One connection at a time: over a ring a second client would share (and corrupt) it. */
    @BeforeEach
    void connect(FakeXenHost host) {
        xs = Xenstore.open(host.clientUri());
    }

    @AfterEach
    void close() {
        xs.close();
    }

    /** Replaces this test's connection by one with other options. */
    private XenstoreConnection reopen(FakeXenHost host, ConnectionOptions options) {
        xs.close();
        xs = Xenstore.open(host.clientUri(), options);
        return xs;
    }

    @Test
    void changesAreInvisibleOutsideUntilCommit() {
        xs.write("/tx/a", "before");
        try (Transaction tx = xs.beginTransaction()) {
            assertTrue(tx.id() > 0);
            tx.write("/tx/a", "inside");
            assertEquals("inside", tx.read("/tx/a"));
            assertEquals("before", xs.read("/tx/a"));
            tx.commit();
        }
        assertEquals("inside", xs.read("/tx/a"));
    }

    @Test
    void abortDiscardsEveryChange() {
        xs.write("/tx/b", "kept");
        Transaction tx = xs.beginTransaction();
        tx.write("/tx/b", "discarded");
        tx.write("/tx/b-new", "discarded");
        tx.abort();
        assertEquals("kept", xs.read("/tx/b"));
        assertFalse(xs.exists("/tx/b-new"));
        assertThrows(IllegalStateException.class, () -> tx.read("/tx/b"));
        assertThrows(IllegalStateException.class, tx::commit);
        tx.close();
    }

    @Test
    void closeAbortsAnOpenTransaction() {
        try (Transaction tx = xs.beginTransaction()) {
            tx.write("/tx/c", "never");
        }
        assertFalse(xs.exists("/tx/c"));
    }

    @Test
    void twoTransactionsThatReadAndWriteTheSameNodeConflictWithEagain() {
        xs.write("/tx/counter", "0");
        Transaction t1 = xs.beginTransaction();
        Transaction t2 = xs.beginTransaction();
        t1.write("/tx/counter", Integer.toString(Integer.parseInt(t1.read("/tx/counter")) + 1));
        t2.write("/tx/counter", Integer.toString(Integer.parseInt(t2.read("/tx/counter")) + 1));
        t1.commit();
        ConflictException e = assertThrows(ConflictException.class, t2::commit);
        assertEquals("EAGAIN", e.errorName());
        assertEquals("1", xs.read("/tx/counter"));
    }

    @Test
    void transactionWorkRerunsOnConflictAndConverges() throws Exception {
        xs.write("/tx/sum", "0");
        int threads = 8;
        int increments = 25;
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < increments; i++) {
                        xs.transaction(tx -> {
                            runs.incrementAndGet();
                            int v = Integer.parseInt(tx.read("/tx/sum"));
                            tx.write("/tx/sum", Integer.toString(v + 1));
                            return null;
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Integer.toString(threads * increments), xs.read("/tx/sum"));
        assertTrue(runs.get() > threads * increments, "some work must have been rerun after EAGAIN: " + runs);
    }

    @Test
    void exhaustedAttemptsThrowConflict(FakeXenHost host) {
        ConnectionOptions two = ConnectionOptions.defaults().withTransactionRetry(2, Duration.ofMillis(1),
                Duration.ofMillis(2));
        {
            XenstoreConnection c = reopen(host, two);
            c.write("/tx/always", "0");
            AtomicInteger attempts = new AtomicInteger();
            ConflictException e = assertThrows(ConflictException.class, () -> c.transaction(tx -> {
                attempts.incrementAndGet();
                tx.read("/tx/always");
                c.write("/tx/always", Integer.toString(attempts.get()));
                tx.write("/tx/always-copy", "x");
                return null;
            }));
            assertEquals(2, attempts.get());
            assertEquals("EAGAIN", e.errorName());
            assertFalse(c.exists("/tx/always-copy"));
        }
    }

    @Test
    void aNestedTransactionJoinsTheOuterOne() {
        long[] ids = new long[2];
        xs.transaction(outer -> {
            ids[0] = ((Transaction) outer).id();
            outer.write("/tx/nested/outer", "1");
            xs.transaction(inner -> {
                ids[1] = ((Transaction) inner).id();
                inner.write("/tx/nested/inner", "2");
                assertFalse(xs.exists("/tx/nested/outer"), "not committed yet");
                return null;
            });
            return null;
        });
        assertEquals(ids[0], ids[1]);
        assertEquals("1", xs.read("/tx/nested/outer"));
        assertEquals("2", xs.read("/tx/nested/inner"));
    }

    @Test
    void workThatThrowsAbortsAndPropagates() {
        RuntimeException boom = new RuntimeException("boom");
        RuntimeException e = assertThrows(RuntimeException.class, () -> xs.transaction(tx -> {
            tx.write("/tx/thrown", "x");
            throw boom;
        }));
        assertEquals(boom, e);
        assertFalse(xs.exists("/tx/thrown"));
    }

    @Test
    void openTransactionsAreCappedAndFurtherStartsWaitForASlot(FakeXenHost host) throws Exception {
        ConnectionOptions capped = ConnectionOptions.defaults().withMaxOpenTransactions(2)
                .withRequestTimeout(Duration.ofMillis(300));
        {
            XenstoreConnection c = reopen(host, capped);
            Transaction a = c.beginTransaction();
            Transaction b = c.beginTransaction();
            assertThrows(XenstoreTimeoutException.class, c::beginTransaction);
            a.abort();
            try (Transaction third = c.beginTransaction()) {
                assertTrue(third.id() > 0);
            }
            b.abort();
        }
    }

    @Test
    void operationsOnAnUnknownTransactionIdAreEnoentFromTheServer() {
        Transaction tx = xs.beginTransaction();
        tx.abort();
        assertThrows(IllegalStateException.class, () -> tx.read("/tx/a"));
        assertThrows(NoSuchNodeException.class, () -> xs.read("/tx/definitely-missing"));
    }
}
