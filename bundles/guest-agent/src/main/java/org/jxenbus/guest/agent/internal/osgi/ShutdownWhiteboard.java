package org.jxenbus.guest.agent.internal.osgi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jxenbus.guest.agent.ShutdownHandler;
import org.jxenbus.guest.agent.internal.DomainHome;
import org.jxenbus.guest.agent.internal.ShutdownWatcher;
import org.jxenbus.xenstore.api.XenstoreService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@link ShutdownHandler} whiteboard: while at least one handler is registered (on Linux none should be: the
 * kernel handles {@code control/shutdown}) it watches {@code control/shutdown} under the agent's home (PID
 * {@value GuestAgentComponent#PID}) and hands claimed commands to their handler; with none, nothing is watched.
 */
@Component(immediate = true, configurationPid = GuestAgentComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class ShutdownWhiteboard {

    private static final Logger LOG = System.getLogger(ShutdownWhiteboard.class.getName());

    private final List<ShutdownHandler> handlers = new CopyOnWriteArrayList<>();
    private final XenstoreService xs;
    private final DomainHome home;
    private ShutdownWatcher watcher;

    /** Reads the home; watching starts with the first handler. */
    @Activate
    public ShutdownWhiteboard(@Reference XenstoreService xs, AgentConfiguration config) {
        DomainHome h = null;
        try {
            h = new DomainHome(config.root());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "guest agent configuration " + GuestAgentComponent.PID
                    + " is invalid, control/shutdown not watched until it is fixed: " + e.getMessage());
        }
        this.xs = xs;
        this.home = h;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addHandler(ShutdownHandler handler) {
        handlers.add(handler);
        if (home == null) {
            return;
        }
        if (watcher != null) {
            watcher.advertise();
        } else {
            watcher = new ShutdownWatcher(xs, home, () -> List.copyOf(handlers));
            watcher.start();
        }
    }

    synchronized void removeHandler(ShutdownHandler handler) {
        handlers.remove(handler);
        if (handlers.isEmpty()) {
            deactivate();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }
}
