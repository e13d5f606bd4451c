package org.jxenbus.guest.agent.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.jxenbus.guest.agent.GuestFacts;
import org.jxenbus.guest.agent.InterfaceFacts;
import org.jxenbus.guest.agent.MemoryFacts;
import org.jxenbus.guest.agent.OsFacts;

/** Known facts a test changes at will. Thread-safe. */
final class FakeFacts implements GuestFacts {

    static final String MAC_VIF0 = "00:16:3e:00:00:01";
    static final String MAC_VIF1 = "00:16:3e:00:00:02";

    private OsFacts os = new OsFacts("debian", "12", "unknown", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64");
    private MemoryFacts memory = new MemoryFacts(2097152, 1048576);
    private final List<InterfaceFacts> interfaces = new ArrayList<>();
    private boolean memoryUnreadable;
    private volatile CountDownLatch holdNextOsRead;

    /** eth0 on vif 0 (an IPv4, a global and a link-local IPv6), eth1 on vif 1, docker0 on no vif. */
    static FakeFacts standard() {
        FakeFacts f = new FakeFacts();
        f.interfaces.add(new InterfaceFacts("eth0", MAC_VIF0.toUpperCase(),
                List.of(ip("192.0.2.10"), ip("2001:db8::10"), ip("fe80::216:3eff:fe00:1"))));
        f.interfaces.add(new InterfaceFacts("eth1", MAC_VIF1, List.of(ip("198.51.100.7"))));
        f.interfaces.add(new InterfaceFacts("docker0", "02:42:ac:11:00:01", List.of(ip("172.17.0.1"))));
        return f;
    }

    synchronized void memory(MemoryFacts m) {
        memory = m;
    }

    synchronized void memoryUnreadable(boolean unreadable) {
        memoryUnreadable = unreadable;
    }

    synchronized void addresses(String name, String... literals) {
        for (int i = 0; i < interfaces.size(); i++) {
            InterfaceFacts old = interfaces.get(i);
            if (old.name().equals(name)) {
                List<InetAddress> addresses = new ArrayList<>();
                for (String l : literals) {
                    addresses.add(ip(l));
                }
                interfaces.set(i, new InterfaceFacts(name, old.mac(), addresses));
            }
        }
    }

    /**
     * The next {@link #os()} counts {@code entered} down and then waits until its thread is interrupted, which it
     * returns with its interrupt flag set, as a reader interrupted in the middle of its work would.
     */
    void holdNextOsReadUntilInterrupted(CountDownLatch entered) {
        holdNextOsRead = entered;
    }

    @Override
    public OsFacts os() {
        CountDownLatch entered = holdNextOsRead;
        if (entered != null) {
            holdNextOsRead = null;
            entered.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            return os;
        }
    }

    @Override
    public synchronized MemoryFacts memory() {
        if (memoryUnreadable) {
            throw new java.io.UncheckedIOException(new java.io.IOException("/proc/meminfo: no such file"));
        }
        return memory;
    }

    @Override
    public synchronized List<InterfaceFacts> interfaces() {
        return List.copyOf(interfaces);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
