package org.jxenbus.xenbus.probe.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.XenstoreOperations;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * What the tests write as the toolstack (libxl's {@code libxl__device_generic_add}): both ends' directories in one
 * transaction, the frontend's owned by the frontend domain and readable by the backend's, the backend's owned by
 * the backend domain and readable by the frontend's; their children inherit that. Nodes and values after what
 * libxl writes for a vif and a vbd.
 */
final class Toolstack {

    static final int DOM0 = 0;

    private final XenstoreService dom0;

    Toolstack(XenstoreService dom0) {
        this.dom0 = dom0;
    }

    /** The home of guest {@code domid}, owned by it, as libxl creates it. */
    void createHome(int domid) {
        dom0.mkdir(home(domid));
        dom0.setPermissions(home(domid), Permissions.parse("n" + domid));
    }

    static String home(int domid) {
        return "/local/domain/" + domid;
    }

    static String frontend(int frontendDomid, String type, int devid) {
        return home(frontendDomid) + "/device/" + type + "/" + devid;
    }

    static String backend(int backendDomid, String type, int frontendDomid, int devid) {
        return home(backendDomid) + "/backend/" + type + "/" + frontendDomid + "/" + devid;
    }

    /** Adds device {@code type}/{@code devid} of {@code frontendDomid}, served by dom0, both ends in {@code state}. */
    void add(String type, int frontendDomid, int devid, XenbusState state) {
        add(type, frontendDomid, devid, state, state);
    }

    /** As {@link #add(String, int, int, XenbusState)}, with each end's own state. */
    void add(String type, int frontendDomid, int devid, XenbusState frontendState, XenbusState backendState) {
        String fe = frontend(frontendDomid, type, devid);
        String be = backend(DOM0, type, frontendDomid, devid);
        Map<String, String> front = new LinkedHashMap<>();
        front.put("backend", be);
        front.put("backend-id", Integer.toString(DOM0));
        front.put("state", Integer.toString(frontendState.code()));
        front.put("handle", Integer.toString(devid));
        Map<String, String> back = new LinkedHashMap<>();
        back.put("frontend", fe);
        back.put("frontend-id", Integer.toString(frontendDomid));
        back.put("online", "1");
        back.put("state", Integer.toString(backendState.code()));
        back.put("handle", Integer.toString(devid));
        if (type.equals("vif")) {
            String mac = String.format("00:16:3e:00:%02x:%02x", frontendDomid, devid);
            front.put("mac", mac);
            back.put("mac", mac);
            back.put("bridge", "xenbr0");
            back.put("script", "/etc/xen/scripts/vif-bridge");
            back.put("type", "vif");
        } else if (type.equals("vbd")) {
            front.put("virtual-device", Integer.toString(devid));
            front.put("device-type", "disk");
            back.put("params", "/dev/vg/guest" + frontendDomid + "-" + devid);
            back.put("type", "phy");
            back.put("mode", "w");
            back.put("removable", "0");
            back.put("bootable", "1");
            back.put("dev", "xvda");
        }
        dom0.transaction(tx -> {
            createOwned(tx, fe, Permissions.parse("n" + frontendDomid + " r" + DOM0), front);
            createOwned(tx, be, Permissions.parse("n" + DOM0 + " r" + frontendDomid), back);
            return null;
        });
    }

    private static void createOwned(XenstoreOperations tx, String dir, Permissions perms, Map<String, String> nodes) {
        tx.mkdir(dir);
        tx.setPermissions(dir, perms); // first: the nodes below inherit it
        nodes.forEach((k, v) -> tx.write(dir + "/" + k, v));
    }

    /** Removes both ends' directories, as libxl does once the device is closed. */
    void remove(String type, int frontendDomid, int devid) {
        dom0.transaction(tx -> {
            tx.rm(frontend(frontendDomid, type, devid));
            tx.rm(backend(DOM0, type, frontendDomid, devid));
            return null;
        });
    }

    /** Writes one end's state directly (the tests playing a driver that is not under test). */
    void state(String devicePath, XenbusState state) {
        dom0.write(devicePath + "/state", Integer.toString(state.code()));
    }
}
