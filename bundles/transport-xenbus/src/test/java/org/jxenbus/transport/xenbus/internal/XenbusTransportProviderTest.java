package org.jxenbus.transport.xenbus.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;

import org.junit.jupiter.api.Test;

class XenbusTransportProviderTest {

    private final XenbusTransportProvider provider = new XenbusTransportProvider();

    @Test
    void badQueriesAndPathsAreRefusedBeforeAnyDeviceIsOpened() {
        for (String bad : new String[] {"xenbus:/dev/xen/xenbus?descriptors=0", "xenbus:/dev/xen/xenbus?descriptors=17",
            "xenbus:/dev/xen/xenbus?descriptors=x", "xenbus:/dev/xen/xenbus?lanes=2",
            "xenbus:/dev/xen/xenbus?descriptors=2&x=1", "xenbus:dev/xen/xenbus"}) {
            assertThrows(IllegalArgumentException.class, () -> provider.open(URI.create(bad)), bad);
        }
    }

    @Test
    void aMissingDeviceIsAnIoErrorNamingIt() {
        IOException e = assertThrows(IOException.class,
                () -> provider.open(URI.create("xenbus:/nonexistent/xenbus?descriptors=2")));
        assertTrue(e.getMessage().contains("/nonexistent/xenbus"), e.getMessage());
    }
}
