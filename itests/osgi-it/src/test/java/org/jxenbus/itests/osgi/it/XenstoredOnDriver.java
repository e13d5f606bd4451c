package org.jxenbus.itests.osgi.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jxenbus.testsupport.FakeXenHost;

/**
 * The real xenstored of each test class, on the driver side only: started when Pax Exam asks the class for
 * its configuration (which it does for every class before running any), stopped by pid when the class is
 * done, with the guests the class asks for introduced (as the toolstack does before writing their devices). The
 * container sees only the paths, as system properties. Thread-safe.
 */
final class XenstoredOnDriver {

    /** A guest's event channel port is this plus its domid (any free port does for the fake hypervisor). */
    private static final int GUEST_PORT_BASE = 2;

    private static final Map<Class<?>, FakeXenHost> HOSTS = new ConcurrentHashMap<>();

    private XenstoredOnDriver() {
    }

    /** The host of {@code testClass}, started on the first call with {@code guests} introduced. */
    static FakeXenHost hostFor(Class<?> testClass, int... guests) {
        return HOSTS.computeIfAbsent(testClass, c -> {
            FakeXenHost host = FakeXenHost.start();
            try {
                for (int domid : guests) {
                    host.introduceGuest(domid, GUEST_PORT_BASE + domid);
                }
            } catch (IOException e) {
                host.close();
                throw new UncheckedIOException("cannot introduce guests " + Arrays.toString(guests), e);
            }
            return host;
        });
    }

    /** Stops the host of {@code testClass} (SIGTERM by pid, then SIGKILL) and removes its folder. */
    static void stopFor(Class<?> testClass) {
        FakeXenHost host = HOSTS.remove(testClass);
        if (host != null) {
            host.close();
        }
    }
}
