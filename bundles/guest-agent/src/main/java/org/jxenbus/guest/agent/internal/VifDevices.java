package org.jxenbus.guest.agent.internal;

import java.util.List;

/**
 * The domain's vif frontends, by devid: the {@code <id>} of {@code device/vif/<id>}. Called from the refresh
 * thread; implementations are thread-safe.
 */
@FunctionalInterface
public interface VifDevices {

    /** The devids present now. */
    List<String> devids();
}
