package org.jxenbus.itests.osgi.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.XenstoreStatus;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/**
 * Changed options in the store's configuration reach the open connection in place: the service stays
 * registered, the transport is the same (one client at the proxy), a transaction open across the change
 * commits, a raw watch keeps firing, and what begins afterwards follows the new request timeout, in-flight
 * window and transaction cap.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ConfigurationChangeIT extends FelixContainer {

    private static final long NEW_TIMEOUT_MILLIS = 500;

    @Test
    public void changedOptionsApplyToTheOpenConnectionWithoutWithdrawingTheService() throws Exception {
        Path hostDir = Path.of(property(HOST_DIR));
        try (ReorderingProxy proxy = ReorderingProxy.start(hostDir.resolve("socket"),
                hostDir.resolve("configuration-proxy.socket"))) {
            String uri = proxy.uri().toString();
            configureStore(Map.of("uri", uri, "requestTimeoutMillis", 120_000L));
            XenstoreService xs = awaitService(XenstoreService.class);
            XenstoreStatus status = awaitService(XenstoreStatus.class);
            AtomicInteger withdrawn = new AtomicInteger();
            ServiceListener counting = e -> {
                if (e.getType() == ServiceEvent.UNREGISTERING) {
                    withdrawn.incrementAndGet();
                }
            };
            context().addServiceListener(counting, "(|(objectClass=" + XenstoreService.class.getName()
                    + ")(objectClass=" + XenstoreStatus.class.getName() + "))");
            try {
                xs.mkdir("/it/live");
                xs.rm("/it/live"); // a fresh subtree: the class's xenstored outlives each method
                List<String> events = new CopyOnWriteArrayList<>();
                RawWatch watch = xs.watch("/it/live/watched", e -> events.add(e.path()));
                Transaction open = xs.beginTransaction();
                open.write("/it/live/tx", "written in a transaction open across the change");

                configureStore(Map.of("uri", uri, "requestTimeoutMillis", NEW_TIMEOUT_MILLIS, "maxInFlight", 3,
                        "maxOpenTransactions", 1));
                await("the new in-flight window in force", WAIT_MILLIS, () -> status.statistics().maxInFlight() == 3);

                long started = System.nanoTime();
                XenstoreTimeoutException noSlot = assertThrows(XenstoreTimeoutException.class, xs::beginTransaction);
                assertTrue("the one transaction slot is taken: " + noSlot.getMessage(),
                        noSlot.getMessage().contains("no transaction slot"));
                assertWithinNewTimeout("waiting for a transaction slot", started);

                proxy.onRequest(r -> r.type() == XsMessageType.XS_READ.code() && new String(r.payload(),
                        StandardCharsets.US_ASCII).equals("/it/live/unanswered\0") ? List.of() : null);
                started = System.nanoTime();
                assertThrows(XenstoreTimeoutException.class, () -> xs.read("/it/live/unanswered"));
                assertWithinNewTimeout("a read never answered", started);

                open.commit();
                open.close();
                assertEquals("the transaction open across the change committed",
                        "written in a transaction open across the change", xs.read("/it/live/tx"));
                xs.write("/it/live/watched/after", "1");
                await("the raw watch set before the change fires after it", WAIT_MILLIS,
                        () -> events.contains("/it/live/watched/after"));
                watch.close();

                assertEquals("XenstoreService and XenstoreStatus were never withdrawn", 0, withdrawn.get());
                assertEquals("no transport swap", 0, status.transportSwaps());
                assertEquals("one client at the proxy: the connection was never reopened", 1,
                        proxy.clientsAccepted());
            } finally {
                context().removeServiceListener(counting);
            }
        }
    }

    private static void assertWithinNewTimeout(String what, long startedNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        assertTrue(what + " gave up after " + millis + " ms, not after the new " + NEW_TIMEOUT_MILLIS + " ms",
                millis >= NEW_TIMEOUT_MILLIS - 50 && millis < 20 * NEW_TIMEOUT_MILLIS);
    }
}
