package org.jxenbus.xenstore.core.internal.osgi;

import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.core.internal.ScopedXenstore;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@link XenstoreService} for one consumer bundle (bundle scope): when that bundle stops or releases the
 * service, its open transactions are aborted and its raw watches removed, while other bundles' go on.
 */
@Component(service = XenstoreService.class, scope = ServiceScope.BUNDLE)
public final class BundleXenstoreService extends ScopedXenstore {

    /** A view of the connected store for the bundle that got the service. */
    @Activate
    public BundleXenstoreService(@Reference ConnectedStore store, ComponentContext context) {
        super(store.managed().connection(), describe(context.getUsingBundle()));
    }

    private static String describe(Bundle b) {
        return b == null ? "bundle ?" : "bundle " + b.getSymbolicName() + " [" + b.getBundleId() + "]";
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
