package org.jxenbus.xenstore.cli.command;

import java.util.Optional;
import java.util.function.ToIntFunction;

import org.jxenbus.xenstore.api.XenstoreService;

/**
 * Where the command's store comes from once its command line has been read: opened for the run and closed
 * after it ({@link StoreOpener}, the process), or lent by a runtime that keeps it open ({@link LentStore}, the
 * shell).
 */
interface StoreAccess {

    /**
     * Runs {@code work} over the store and returns its status.
     *
     * @param connectUri the store {@code --connect} named, if it named one
     * @throws CommandExit after printing the message, when there is no store to run over
     */
    int withStore(Optional<String> connectUri, Diagnostics diagnostics, ToIntFunction<XenstoreService> work);
}
