package org.jxenbus.xenstore.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code xenbus:devices}: the Xen devices the device probe has registered ({@link XenbusDevice} services), one
 * line each with this end's and the other end's state, as the probe last read them. Devices come and go while
 * the component lives (a dynamic reference); with the probe absent or no bus enabled the list is empty.
 * Thread-safe; never blocks (the devices answer from what they hold).
 */
@Component(service = DevicesCommand.class)
@GogoCommand(scope = "xenbus", function = "devices")
public final class DevicesCommand {

    static final String HEADER = "bus       type      id    state             other end  (domain)  state";
    private static final Comparator<XenbusDevice> ORDER = Comparator.comparing(XenbusDevice::bus)
            .thenComparing(XenbusDevice::nodename, DevicesCommand::compareNodenames);

    private final Set<XenbusDevice> devices = ConcurrentHashMap.newKeySet();

    /** Devices arrive through {@link #addDevice}. */
    @Activate
    public DevicesCommand() {
        // nothing else to hold
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeDevice")
    void addDevice(XenbusDevice device) {
        devices.add(device);
    }

    void removeDevice(XenbusDevice device) {
        devices.remove(device);
    }

    @Descriptor("list the Xen devices the device probe sees: bus, type, id, this end's state, the other end's "
            + "path, domain and state; 'none' when there are none")
    public void devices() {
        List<XenbusDevice> sorted = new ArrayList<>(devices);
        sorted.sort(ORDER);
        PrintStream out = GogoPipe.current().out();
        if (sorted.isEmpty()) {
            out.println("none (is the device probe running with a bus configured?)");
            return;
        }
        out.println(HEADER);
        for (XenbusDevice d : sorted) {
            out.println(line(d));
        }
    }

    /** One device's line, in {@link #HEADER}'s columns. */
    static String line(XenbusDevice d) {
        return String.format("%-9s %-9s %-5s %-17s %s  (%d)  %s", d.bus().value(), d.type(), d.id(), name(d.state()),
                d.otherend(), d.otherendId(), name(d.otherendState()));
    }

    /** A state as Linux's {@code xenbus_strstate} names it, with its number. */
    static String name(XenbusState s) {
        String[] words = s.name().toLowerCase(java.util.Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
        }
        return b.append(" (").append(s.code()).append(')').toString();
    }

    /** Nodenames in order, ids that are numbers by value ({@code vif/2} before {@code vif/10}). */
    private static int compareNodenames(String a, String b) {
        int slashA = a.lastIndexOf('/');
        int slashB = b.lastIndexOf('/');
        String headA = a.substring(0, slashA + 1);
        String headB = b.substring(0, slashB + 1);
        int heads = headA.compareTo(headB);
        if (heads != 0) {
            return heads;
        }
        String idA = a.substring(slashA + 1);
        String idB = b.substring(slashB + 1);
        if (idA.matches("\\d{1,9}") && idB.matches("\\d{1,9}")) {
            return Integer.compare(Integer.parseInt(idA), Integer.parseInt(idB));
        }
        return idA.compareTo(idB);
    }
}
