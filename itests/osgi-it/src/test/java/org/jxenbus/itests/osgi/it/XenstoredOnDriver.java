package org.jxenbus.itests.osgi.it;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jxenbus.testsupport.FakeXenHost;

/**
 * The real xenstored of each test class, on the driver side only: started when Pax Exam asks the class for
 * its configuration (which it does for every class before running any), stopped by pid when the class is
 * done. The container sees only the paths, as system properties. Thread-safe.
 */
final class XenstoredOnDriver {

    private static final Map<Class<?>, FakeXenHost> HOSTS = new ConcurrentHashMap<>();

    private XenstoredOnDriver() {
    }

    /** The host of {@code testClass}, started on the first call. */
    static FakeXenHost hostFor(Class<?> testClass) {
        return HOSTS.computeIfAbsent(testClass, c -> FakeXenHost.start());
    }

    /** Stops the host of {@code testClass} (SIGTERM by pid, then SIGKILL) and removes its folder. */
    static void stopFor(Class<?> testClass) {
        FakeXenHost host = HOSTS.remove(testClass);
        if (host != null) {
            host.close();
        }
    }
}
