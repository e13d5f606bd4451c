package org.jxenbus.guest.agent;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Carries out the toolstack's requests written to {@code control/shutdown}, for guests whose kernel does not.
 *
 * <p><b>Linux guests must not register one.</b> Linux's {@code drivers/xen/manage.c} watches
 * {@code control/shutdown}, acknowledges the commands it handles ({@code poweroff}, {@code halt},
 * {@code reboot}, {@code suspend}) and advertises {@code control/feature-<command>} itself; a second handler
 * would race it for the same node.
 *
 * <p>Whiteboard: while at least one {@code ShutdownHandler} service is registered, the agent watches
 * {@code control/shutdown} as Linux does: it reads the command in a transaction, acknowledges it (writes the
 * empty string back) only if a handler claims it, and after the commit calls that handler. It also writes
 * {@code control/feature-<command>} = {@code 1} for every command claimed (a write the toolstack may refuse; that
 * is logged and ignored, as docs/misc/xenstore-paths.pandoc allows).
 *
 * <p>{@link #handle} runs on the agent's shutdown thread, one request at a time.
 */
@ConsumerType
public interface ShutdownHandler {

    /** The commands this handler carries out, as the toolstack writes them ({@code poweroff}, {@code reboot}). */
    Set<String> commands();

    /**
     * Carries out an acknowledged command. The acknowledgement is already committed: a handler that cannot
     * act should report that by its own means (the toolstack times out).
     */
    void handle(String command);
}
