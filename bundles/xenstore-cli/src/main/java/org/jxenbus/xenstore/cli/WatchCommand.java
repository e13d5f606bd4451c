package org.jxenbus.xenstore.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;

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
        List<String> watched = new ArrayList<>();
        for (String key : session.operands()) {
            if (watched.contains(key)) {
                throw unableToWatch(session, key);
            }
            try {
                session.connection().watch(key, event -> events.add(event.path()));
            } catch (XenstoreException e) {
                throw unableToWatch(session, key);
            }
            watched.add(key);
        }
        boolean lost = false;
        for (int count = 0; limit == -1 || count < limit; count++) {
            String path = lost ? null : next(session, events);
            if (path == null) {
                lost = true;
                if (limit == -1) {
                    waitForever();
                }
                continue;
            }
            session.out().print(path + "\n");
            session.out().flush();
        }
        return 0;
    }

    private static CommandExit unableToWatch(Session session, String key) {
        return session.diagnostics().errx("Unable to add watch on " + key + "\n");
    }

    /** The next event's path, or {@code null} once the connection is lost. */
    private static String next(Session session, BlockingQueue<String> events) {
        try {
            while (true) {
                String path = events.poll(PROBE_SECONDS, TimeUnit.SECONDS);
                if (path != null) {
                    return path;
                }
                if (!alive(session)) {
                    return events.poll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenstoreInterruptedException("interrupted waiting for watch events", e);
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

    private static void waitForever() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenstoreInterruptedException("interrupted waiting for watch events", e);
        }
    }
}
