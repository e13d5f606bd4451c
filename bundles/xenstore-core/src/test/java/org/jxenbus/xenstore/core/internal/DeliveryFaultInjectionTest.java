package org.jxenbus.xenstore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.transport.socket.internal.SocketTransportProvider;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Allocation failures injected at each step of parsing and routing a message, against the real xenstored:
 * the connection continues with the same message, so no reply or watch event is lost and every request
 * still gets its own correct reply.
 */
@ExtendWith(XenstoredExtension.class)
class DeliveryFaultInjectionTest {

    @AfterEach
    void removeHooks() {
        FrameDecoder.injectFaults(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HEADER", "LENGTH", "PAYLOAD", "MESSAGE", "ROUTE", "DECODE", "COMPLETE"})
    void aFailureAtEachStepLosesNothing(String step, FakeXenHost host) throws Exception {
        AtomicLong injected = new AtomicLong();
        AtomicLong reached = new AtomicLong();
        try (CoreConnection xs = new CoreConnection(new SocketTransportProvider().open(host.socketUri()),
                ConnectionOptions.defaults(), 1)) {
            int n = 300;
            for (int i = 0; i < n; i++) {
                xs.async().write("/fault/" + step + "/k" + i, "v" + i);
            }
            List<WatchEvent> events = new CopyOnWriteArrayList<>();
            var watch = xs.watch("/fault/" + step + "/w", events::add);
            Runnable maybeFail = () -> {
                if (reached.incrementAndGet() % 3 == 0) {
                    injected.incrementAndGet();
                    throw new OutOfMemoryError("injected at " + step);
                }
            };
            install(step, maybeFail, xs);
            List<CompletableFuture<String>> reads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                reads.add(xs.async().read("/fault/" + step + "/k" + i));
            }
            xs.async().write("/fault/" + step + "/w/changed", "1");
            for (int i = 0; i < n; i++) {
                assertEquals("v" + i, reads.get(i).get(10, TimeUnit.SECONDS));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            removeHooks();
            xs.mux().injectDeliveryFaults(null);
            assertEquals(List.of("/fault/" + step + "/w", "/fault/" + step + "/w/changed"),
                    events.stream().map(WatchEvent::path).toList(), "no watch event lost or doubled");
            assertTrue(injected.get() >= 50, "failures injected: " + injected);
            assertEquals(injected.get(), xs.statistics().ioFaults(), "each failure survived and counted");
            assertEquals(0, xs.statistics().unknownReplies(), "no reply delivered twice or lost");
            assertTrue(xs.statistics().logLinesWritten() <= 2, "logged rate-limited: " + xs.statistics());
            watch.close();
        }
    }

    private static void install(String step, Runnable maybeFail, CoreConnection xs) {
        for (FrameDecoder.Step s : FrameDecoder.Step.values()) {
            if (s.name().equals(step)) {
                FrameDecoder.injectFaults(at -> {
                    if (at == s) {
                        maybeFail.run();
                    }
                });
                return;
            }
        }
        Multiplexer.DeliveryStep target = Multiplexer.DeliveryStep.valueOf(step);
        xs.mux().injectDeliveryFaults(at -> {
            if (at == target) {
                maybeFail.run();
            }
        });
    }
}
