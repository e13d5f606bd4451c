package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.RequestScope;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deadlines are kept in any order: the I/O thread looks at its requests' deadlines only when the earliest one
 * comes, so a request with a short timeout submitted after requests with long ones must lower that time.
 */
@ExtendWith(XenstoredExtension.class)
class DeadlineOrderTest {

    @Test
    void aShortTimeoutAfterLongOnesExpiresOnTime(FakeXenHost host) throws Exception {
        Duration shortTimeout = Duration.ofMillis(300);
        try (XenstoreConnection xs = Xenstore.open(host.clientUri(),
                ConnectionOptions.defaults().withRequestTimeout(Duration.ofSeconds(60)))) {
            xs.write("/deadline/v", "1");
            host.pause();
            CompletableFuture<String> longOne;
            long elapsedMillis;
            try {
                longOne = xs.async().read("/deadline/v"); // written, unanswered: its deadline is 60 s ahead
                TimeUnit.MILLISECONDS.sleep(100); // the I/O thread has looked at the deadlines and waits
                long t0 = System.nanoTime();
                assertThrows(XenstoreTimeoutException.class,
                        () -> xs.within(RequestScope.withTimeout(shortTimeout)).read("/deadline/v"));
                elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertFalse(longOne.isDone(), "the long request is still waiting");
            } finally {
                host.resume();
            }
            // Its own expiry, not the waiter's grace of 5 s beyond the timeout, ended the short one.
            assertTrue(elapsedMillis >= shortTimeout.toMillis() && elapsedMillis < 3000,
                    "the short request ended after " + elapsedMillis + " ms");
            assertEquals("1", longOne.get(30, TimeUnit.SECONDS), "the long one is answered after the resume");
            assertEquals(1, xs.metrics().timeouts(), xs.metrics().toString());
        }
    }
}
