package org.jxenbus.guest.agent.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.jxenbus.guest.agent.ShutdownHandler;
import org.jxenbus.xenstore.api.AccessDeniedException;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * {@code control/shutdown} for guests whose kernel does not handle it, done as Linux's drivers/xen/manage.c does
 * ({@code shutdown_handler}): on every event, a transaction reads the command; an empty or missing one is ignored;
 * one a handler claims is acknowledged by writing the empty string back; after the commit that handler carries it
 * out. Unclaimed commands are left in place (and logged), as Linux leaves commands it does not know. On
 * {@link #start()} it writes {@code control/feature-<command>} = {@code 1} for each claimed command
 * ({@code setup_shutdown_watcher}); a refusal is logged and ignored (docs/misc/xenstore-paths.pandoc: "a guest
 * should not expect a write to succeed").
 *
 * <p>Threads: one, {@code guest-agent-shutdown}, runs every request and every handler; the watch listener only
 * hands work to it. {@link #close()} stops and joins it.
 */
public final class ShutdownWatcher implements AutoCloseable {

    static final String SHUTDOWN = "control/shutdown";

    private static final Logger LOG = System.getLogger(ShutdownWatcher.class.getName());

    private final XenstoreService xs;
    private final DomainHome home;
    private final Supplier<List<ShutdownHandler>> handlers;
    private final AgentWorker worker = new AgentWorker("guest-agent-shutdown");
    private RawWatch watch;

    /** @param handlers the handlers present now, asked on each request (the whiteboard's current set) */
    public ShutdownWatcher(XenstoreService xs, DomainHome home, Supplier<List<ShutdownHandler>> handlers) {
        this.xs = xs;
        this.home = home;
        this.handlers = handlers;
    }

    /** Advertises the handlers' commands and watches {@code control/shutdown}. */
    public void start() {
        advertise();
        RawWatch w = xs.watch(home.path(SHUTDOWN), event -> worker.hand(this::takeRequest));
        synchronized (this) {
            watch = w;
        }
    }

    /** Writes {@code control/feature-<command>} = 1 for every command a handler claims now. */
    public void advertise() {
        for (ShutdownHandler h : handlers.get()) {
            for (String command : h.commands()) {
                try {
                    xs.write(home.path("control/feature-" + command), "1");
                } catch (AccessDeniedException e) {
                    LOG.log(Level.INFO, "guest agent: the toolstack does not let this guest advertise control/feature-"
                            + command + ": " + e.errorName());
                }
            }
        }
    }

    private void takeRequest() {
        try {
            Optional<Claim> claim = xs.transaction(tx -> {
                String command;
                try {
                    command = tx.read(home.path(SHUTDOWN));
                } catch (NoSuchNodeException e) {
                    return Optional.<Claim>empty();
                }
                if (command.isEmpty()) {
                    return Optional.<Claim>empty();
                }
                Optional<ShutdownHandler> handler = handlers.get().stream()
                        .filter(h -> h.commands().contains(command)).findFirst();
                if (handler.isEmpty()) {
                    LOG.log(Level.INFO, "guest agent: ignoring shutdown request '" + command + "': no handler claims it");
                    return Optional.<Claim>empty();
                }
                tx.write(home.path(SHUTDOWN), "");
                return Optional.of(new Claim(handler.get(), command));
            });
            claim.ifPresent(c -> c.handler().handle(c.command()));
        } catch (XenstoreException e) {
            if (worker.stopping()) { // close() interrupted it: nothing failed, the request stays for the next taker
                LOG.log(Level.DEBUG, "guest agent: taking the shutdown request stopped by close: " + e);
                return;
            }
            LOG.log(Level.WARNING, "guest agent: cannot take the shutdown request: " + e);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "guest agent: a shutdown handler failed", e);
        }
    }

    private record Claim(ShutdownHandler handler, String command) {
    }

    /** Removes the watch and stops the worker (a handler running is interrupted), waiting for it. */
    @Override
    public void close() {
        worker.stop(() -> {
            synchronized (this) {
                RawWatch w = watch;
                watch = null;
                return w;
            }
        });
    }
}
