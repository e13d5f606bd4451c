package org.jxenbus.xenstore.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreException;

/**
 * {@code watch [-n NR] key...}: watches every key, then prints each event's path on its own line, flushed
 * at once, until NR events (the initial event of each watch counts) or forever. A key that cannot be
 * watched ends the command with {@code Unable to add watch on K} and a blank line; so does a repeated key,
 * which the real tool's server refuses (EEXIST: same path, same token) while this library would accept it.
 *
 * <p>Events arrive on the connection's I/O thread, which only queues them; this command's thread prints.
 * While no event comes it checks every {@value #PROBE_SECONDS} s that the connection is alive: once it is
 * lost the remaining events count as missed, as libxenstore's {@code xs_read_watch} returning NULL does,
 * so {@code -n} ends with status 0 and an unlimited watch waits forever.
 *
 * <p>An interrupt of the command's thread ends the watch as a reached limit does (status 0, the interrupt
 * kept): that is how a shell stops it. Whatever ends the command, its watches are removed from the server
 * before it returns, since the store may outlive the command.
 */
final class WatchCommand implements Command {

    static final int PROBE_SECONDS = 2;

    private final int limit;

    WatchCommand(CommandOptions options) {
        this.limit = options.watchLimit;
    }

    @Override
    public int perform(Session session) {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        List<RawWatch> watches = new ArrayList<>();
        try {
            for (String key : session.operands()) {
                if (watches.stream().anyMatch(w -> w.path().equals(key))) {
                    throw unableToWatch(session, key);
                }
                try {
                    watches.add(session.connection().watch(key, event -> events.add(event.path())));
                } catch (XenstoreException e) {
                    throw unableToWatch(session, key);
                }
            }
            print(session, events);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            remove(watches);
        }
        return 0;
    }

    private void print(Session session, BlockingQueue<String> events) throws InterruptedException {
        boolean lost = false;
        for (int count = 0; limit == -1 || count < limit; count++) {
            String path = lost ? null : next(session, events);
            if (path == null) {
                lost = true;
                if (limit == -1) {
                    new CountDownLatch(1).await(); // until interrupted
                }
                continue;
            }
            session.out().print(path + "\n");
            session.out().flush();
        }
    }

    private static CommandExit unableToWatch(Session session, String key) {
        return session.diagnostics().errx("Unable to add watch on " + key + "\n");
    }

    /** The next event's path, or {@code null} once the connection is lost. */
    private static String next(Session session, BlockingQueue<String> events) throws InterruptedException {
        while (true) {
            String path = events.poll(PROBE_SECONDS, TimeUnit.SECONDS);
            if (path != null) {
                return path;
            }
            if (!alive(session)) {
                return events.poll();
            }
        }
    }

    private static boolean alive(Session session) {
        try {
            session.connection().getDomainPath(0);
            return true;
        } catch (TransportFailureException e) {
            return false;
        } catch (XenstoreException e) {
            return true;
        }
    }

    /**
     * Removes every watch (UNWATCH, answered) before the command returns. The removal runs off the command's
     * thread, in the common pool: a shell that stops the command may interrupt its thread more than once (Gogo's
     * session close does), and an interrupted wait abandons an UNWATCH not yet written, which would leave the
     * server watch behind. This thread waits for the removal whatever interrupts come, and keeps them; the
     * first failure to remove is thrown once all were tried.
     */
    private static void remove(List<RawWatch> watches) {
        if (watches.isEmpty()) {
            return;
        }
        CompletableFuture<Void> removal = CompletableFuture.runAsync(() -> closeAll(watches));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    removal.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw (RuntimeException) e.getCause(); // closeAll throws only unchecked exceptions
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeAll(List<RawWatch> watches) {
        RuntimeException failure = null;
        for (RawWatch watch : watches) {
            try {
                watch.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
