package org.jxenbus.guest.agent.internal;

import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreOperations;

/**
 * What libxl writes for guest {@value #DOMID} that the agent meets (xen-project/xen@c447b7308b13): the home
 * readable by the guest, owned by dom0 (libxl_create.c:798-801, 810); {@code device} and {@code control} likewise
 * (833-835, 850-852); {@code data}, {@code attr}, {@code control/shutdown} and {@code control/feature-*} owned by
 * the guest (803-804, 854-866, 878-889); each vif's frontend directory owned by the guest, readable by the backend
 * (libxl_device.c:169-172), holding {@code mac} (libxl_nic.c:251-253).
 */
final class Toolstack {

    static final int DOMID = 5;
    static final String HOME = "/local/domain/" + DOMID;

    private final XenstoreOperations dom0;

    Toolstack(XenstoreOperations dom0) {
        this.dom0 = dom0;
    }

    /** A fresh home for the guest, as domain creation leaves it. */
    void createDomain() {
        try {
            dom0.rm(HOME);
        } catch (NoSuchNodeException e) {
            // first domain on this store: /local/domain does not exist yet
        }
        node(HOME, "n0 r5");
        node(HOME + "/device", "n0 r5");
        node(HOME + "/control", "n0 r5");
        for (String rw : new String[] {"data", "attr", "control/shutdown", "control/feature-poweroff",
            "control/feature-reboot", "control/feature-suspend"}) {
            node(HOME + "/" + rw, "n5");
        }
    }

    void plugVif(String devid, String mac) {
        node(HOME + "/device/vif/" + devid, "n5 r0");
        dom0.write(HOME + "/device/vif/" + devid + "/mac", mac);
    }

    void unplugVif(String devid) {
        dom0.rm(HOME + "/device/vif/" + devid);
    }

    private void node(String path, String perms) {
        dom0.mkdir(path);
        dom0.setPermissions(path, Permissions.parse(perms));
    }
}
