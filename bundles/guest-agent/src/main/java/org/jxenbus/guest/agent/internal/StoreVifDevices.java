package org.jxenbus.guest.agent.internal;

import java.util.List;

import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.XenstoreOperations;

/** The vifs the toolstack wrote under {@code device/vif}, listed through the store on every call. */
public final class StoreVifDevices implements VifDevices {

    private final XenstoreOperations xs;
    private final DomainHome home;

    /** Lists {@code device/vif} under {@code home}. */
    public StoreVifDevices(XenstoreOperations xs, DomainHome home) {
        this.xs = xs;
        this.home = home;
    }

    @Override
    public List<String> devids() {
        try {
            return xs.directory(home.path(VifMatcher.VIF_FRONTENDS));
        } catch (NoSuchNodeException e) {
            return List.of();
        }
    }
}
