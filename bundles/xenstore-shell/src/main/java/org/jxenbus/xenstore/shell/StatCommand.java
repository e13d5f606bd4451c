package org.jxenbus.xenstore.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.jxenbus.xenstore.api.XenstoreStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code xs:stat}: what the runtime's store is and how its connection is doing, one {@link StatusReport}.
 * A component of its own, so the store commands need no {@link XenstoreStatus}. Thread-safe; never blocks.
 */
@Component(service = StatCommand.class)
@GogoCommand(scope = "xs", function = "stat")
public final class StatCommand {

    private final XenstoreStatus status;

    /** @param status the runtime's connection status */
    @Activate
    public StatCommand(@Reference XenstoreStatus status) {
        this.status = status;
    }

    @Descriptor("show the store, its transport, whether it is simulated, requests in flight and queued, the "
            + "connection's counters and the transport swaps")
    public void stat() {
        GogoPipe.current().out().print(StatusReport.of(status));
    }
}
