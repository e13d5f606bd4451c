package org.jxenbus.guest.agent.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.junit.jupiter.api.Test;

class ProbedVifDevicesTest {

    @Test
    void theDevidsAreThoseOfTheBoundFrontendVifs() {
        ProbedVifDevices probed = new ProbedVifDevices();
        XenbusDevice vif10 = device(XenbusBus.FRONTEND, "vif", "10");
        probed.add(vif10);
        probed.add(device(XenbusBus.FRONTEND, "vif", "2"));
        probed.add(device(XenbusBus.FRONTEND, "vbd", "51712"));
        probed.add(device(XenbusBus.BACKEND, "vif", "3"));
        assertEquals(List.of("10", "2"), probed.devids(), "frontend vifs only, in a stable order");
        probed.remove(vif10);
        assertEquals(List.of("2"), probed.devids());
    }

    @Test
    void theTargetFilterNamesTheProbesProperties() {
        assertEquals("(&(xenbus.bus=frontend)(xenbus.type=vif))", ProbedVifDevices.VIF_FILTER);
    }

    static XenbusDevice device(XenbusBus bus, String type, String id) {
        return new XenbusDevice() {
            @Override
            public XenbusBus bus() {
                return bus;
            }

            @Override
            public String type() {
                return type;
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public String nodename() {
                return bus.root() + "/" + type + "/" + id;
            }

            @Override
            public String otherend() {
                return "/local/domain/0/backend/" + type + "/5/" + id;
            }

            @Override
            public int otherendId() {
                return 0;
            }

            @Override
            public XenbusState state() {
                return XenbusState.CONNECTED;
            }

            @Override
            public XenbusState otherendState() {
                return XenbusState.CONNECTED;
            }
        };
    }
}
