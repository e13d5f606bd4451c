package org.jxenbus.guest.agent.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jxenbus.guest.agent.GuestFacts;
import org.jxenbus.guest.agent.InterfaceFacts;
import org.jxenbus.guest.agent.MemoryFacts;
import org.jxenbus.guest.agent.OsFacts;
import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The component as SCR drives it (constructor, then bind methods, then deactivate), without a framework. */
@ExtendWith(XenstoredExtension.class)
class GuestAgentComponentTest {

    static final GuestFacts FACTS = new GuestFacts() {
        @Override
        public OsFacts os() {
            return new OsFacts("debian", "12", "unknown", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64");
        }

        @Override
        public MemoryFacts memory() {
            return new MemoryFacts(2097152, 1048576);
        }

        @Override
        public List<InterfaceFacts> interfaces() {
            try {
                return List.of(new InterfaceFacts("eth0", "00:16:3e:00:00:01",
                        List.of(InetAddress.getByName("192.0.2.10"))));
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
    };

    @Test
    void anInvalidConfigurationStartsNoAgentAndTouchesNothing() {
        XenstoreService untouchable = (XenstoreService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {XenstoreService.class}, (proxy, method, args) -> {
                    throw new AssertionError("the store was used: " + method.getName());
                });
        new GuestAgentComponent(untouchable, FACTS, config(Map.of("root", "local/domain/5"))).deactivate();
        new GuestAgentComponent(untouchable, FACTS, config(Map.of("vifSource", "sysfs"))).deactivate();
    }

    @Test
    void withTheProbeAsVifSourceABoundVifIsPublishedAtOnce(FakeXenHost host) throws Exception {
        host.introduceGuest(5, 7);
        try (XenstoreConnection xs = Xenstore.open(host.socketUri())) {
            xs.mkdir("/local/domain/5");
            xs.setPermissions("/local/domain/5", Permissions.parse("n0 r5"));
            xs.write("/local/domain/5/device/vif/0/mac", "00:16:3e:00:00:01");
            GuestAgentComponent component = new GuestAgentComponent(xs, FACTS,
                    config(Map.of("root", "/local/domain/5", "vifSource", "probe", "refreshSeconds", 3600L)));
            try {
                await(xs, "/local/domain/5/data/updated");
                assertTrue(!exists(xs, "/local/domain/5/attr/vif"), "no vif before the probe reports one");
                component.addVif(ProbedVifDevicesTest.device(
                        org.jxenbus.xenstore.api.device.XenbusBus.FRONTEND, "vif", "0"));
                await(xs, "/local/domain/5/attr/vif/0/ipv4/0");
                assertEquals("192.0.2.10", xs.read("/local/domain/5/attr/vif/0/ipv4/0"));
            } finally {
                component.deactivate();
            }
        }
    }

    /** An AgentConfiguration with the defaults but for {@code values}, as SCR makes one. */
    static AgentConfiguration config(Map<String, Object> values) {
        return (AgentConfiguration) Proxy.newProxyInstance(AgentConfiguration.class.getClassLoader(),
                new Class<?>[] {AgentConfiguration.class}, (proxy, method, args) ->
                        values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue());
    }

    private static void await(XenstoreConnection xs, String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!exists(xs, path)) {
            assertTrue(System.nanoTime() < deadline, "not within 20 s: " + path);
            Thread.sleep(10);
        }
    }

    private static boolean exists(XenstoreConnection xs, String path) {
        try {
            xs.read(path);
            return true;
        } catch (NoSuchNodeException e) {
            return false;
        }
    }
}
