package org.jxenbus.xenstore.cli.command;

import java.util.Optional;
import java.util.function.ToIntFunction;

import org.jxenbus.xenstore.api.XenstoreService;

/**
 * A store the runtime keeps open and lends to each command: never closed here, and the only store there is, so
 * {@code --connect} is refused.
 *
 * @param store the runtime's store
 */
record LentStore(XenstoreService store) implements StoreAccess {

    @Override
    public int withStore(Optional<String> connectUri, Diagnostics diagnostics, ToIntFunction<XenstoreService> work) {
        if (connectUri.isPresent()) {
            throw diagnostics.errx("option '" + Invocation.CONNECT + "' is not available here: the store is the runtime's");
        }
        return work.applyAsInt(store);
    }
}
