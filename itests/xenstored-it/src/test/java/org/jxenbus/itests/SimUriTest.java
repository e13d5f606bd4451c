package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The simulator in this JVM through {@code Xenstore.open("sim:")}: the shared simulator {@code sim:default},
 * found by the client's transport discovery, serves reads, writes, a transaction and a watch. As a
 * {@link URI} it is {@code sim:default} ({@code URI.create("sim:")} is no URI: java.net.URI wants something
 * after the scheme). Needs no xenstored, so it runs once.
 */
@Tag("transport-specific") // its own transport, whatever the suite's
class SimUriTest {

    @Test
    void theInJvmSimulatorServesReadsWritesTransactionsAndWatches() throws Exception {
        try (XenstoreConnection xs = Xenstore.open("sim:")) {
            xs.write("/simuri/a", "1");
            assertEquals("1", xs.read("/simuri/a"));
            assertTrue(xs.directory("/simuri").contains("a"));

            LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
            try (RawWatch w = xs.watch("/simuri/watched", events::add)) {
                assertEquals("/simuri/watched", events.poll(5, TimeUnit.SECONDS).path(), "the initial event");
                try (Transaction t = xs.beginTransaction()) {
                    t.write("/simuri/watched", "in a transaction");
                    t.write("/simuri/b", "2");
                    assertFalse(xs.exists("/simuri/b"), "not visible outside before the commit");
                    t.commit();
                }
                assertEquals("/simuri/watched", events.poll(5, TimeUnit.SECONDS).path(), "fired by the commit");
            }
            assertEquals(List.of("in a transaction", "2"),
                    List.of(xs.read("/simuri/watched"), xs.read("/simuri/b")));
        }
        try (XenstoreConnection same = Xenstore.open(URI.create("sim:default"))) {
            assertEquals("2", same.read("/simuri/b"), "sim: is the shared simulator sim:default");
        }
    }
}
