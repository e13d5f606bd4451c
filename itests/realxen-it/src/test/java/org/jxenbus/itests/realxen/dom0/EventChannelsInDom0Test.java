package org.jxenbus.itests.realxen.dom0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jxenbus.transport.xendev.EvtchnDevice;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code /dev/xen/evtchn} on the real hypervisor: a loopback interdomain pair inside dom0. */
@Tag("dom0")
class EventChannelsInDom0Test {

    @Test
    void anUnboundPortAndItsInterdomainPeerKickEachOther() throws IOException {
        try (EvtchnDevice a = EvtchnDevice.open(); EvtchnDevice b = EvtchnDevice.open()) {
            int portA = a.bindUnbound(0);
            int portB = b.bindInterdomain(0, portA);
            assertTrue(portA > 0 && portB > 0 && portA != portB, portA + " " + portB);

            b.notify(portB);
            List<Integer> pendingA = new ArrayList<>();
            assertEquals(1, a.await(TimeUnit.SECONDS.toNanos(5), pendingA::add));
            assertEquals(List.of(portA), pendingA, "A's port is pending after B's kick");

            a.notify(portA);
            List<Integer> pendingB = new ArrayList<>();
            assertEquals(1, b.await(TimeUnit.SECONDS.toNanos(5), pendingB::add));
            assertEquals(List.of(portB), pendingB);

            b.notify(portB);
            b.notify(portB);
            pendingA.clear();
            assertEquals(1, a.await(TimeUnit.SECONDS.toNanos(5), pendingA::add), "one port, whatever the kicks");
            // Xen latches a kick that arrives while the port is masked and delivers it once unmasked.
            assertTrue(a.await(TimeUnit.MILLISECONDS.toNanos(200), p -> { }) <= 1, "at most the latched kick");

            assertEquals(0, a.await(TimeUnit.MILLISECONDS.toNanos(100), p -> { }), "nothing pending: a timeout");
            b.notify(portB);
            assertEquals(1, a.await(TimeUnit.SECONDS.toNanos(5), p -> { }), "unmasked again after the last read");

            a.reset();
            a.unbind(portA);
            IOException e = assertThrows(IOException.class, () -> a.notify(portA));
            assertTrue(e.getMessage().contains("NOTIFY"), e.getMessage());
        }
    }

    @Test
    void wakeupEndsAWaitWithoutAKick() throws Exception {
        try (EvtchnDevice a = EvtchnDevice.open()) {
            a.bindUnbound(0);
            Thread waker = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                a.wakeup();
            });
            waker.start();
            long t0 = System.nanoTime();
            assertEquals(0, a.await(TimeUnit.SECONDS.toNanos(30), p -> { }));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "woken long before the timeout");
            waker.join();
        }
    }
}
