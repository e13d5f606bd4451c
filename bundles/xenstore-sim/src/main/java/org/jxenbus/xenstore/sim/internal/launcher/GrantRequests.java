package org.jxenbus.xenstore.sim.internal.launcher;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.jxenbus.xenstore.sim.Endpoint;
import org.jxenbus.xenstore.sim.XenstoreSimulator;

/**
 * {@code --grant-requests DIR}: how a client of {@code ring:gntalloc?server=D} asks the daemon to serve the
 * ring it offered. It writes {@code DIR/NAME.request} holding {@code DOMID GREF PORT} (from its transport's
 * URI), whole: written under another name and renamed, since the folder is polled; within a fifth of a second
 * the request is renamed {@code NAME.served} (the ring is served) or {@code NAME.failed} appears, whole too,
 * with the reason. One thread ({@code xenstored-sim-grant-requests}), stopped and
 * joined by {@link #close}, which also stops serving the rings.
 */
final class GrantRequests implements AutoCloseable {

    private static final Logger LOG = System.getLogger(GrantRequests.class.getName());
    private static final long POLL_MILLIS = 200;

    private final Path dir;
    private final XenstoreSimulator sim;
    private final List<Endpoint> served = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closing;

    GrantRequests(Path dir, XenstoreSimulator sim) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.sim = sim;
        this.thread = new Thread(this::run, "xenstored-sim-grant-requests");
        thread.setDaemon(true);
        thread.start();
    }

    String describe() {
        return "grant requests in " + dir.toAbsolutePath();
    }

    private void run() {
        while (!closing) {
            try (DirectoryStream<Path> requests = Files.newDirectoryStream(dir, "*.request")) {
                for (Path r : requests) {
                    handle(r);
                }
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "grant requests in " + dir + " can no longer be read; stopping", e);
                return;
            }
        }
    }

    /** Serves one request and answers it in the folder. */
    void handle(Path request) throws IOException {
        String name = request.getFileName().toString();
        String base = name.substring(0, name.length() - ".request".length());
        String text = Files.readString(request, StandardCharsets.US_ASCII).trim();
        try {
            String[] f = text.split("\\s+");
            if (f.length != 3) {
                throw new IllegalArgumentException("want DOMID GREF PORT, got \"" + text + "\"");
            }
            Endpoint e = sim.serveGrantRing(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]));
            synchronized (served) {
                served.add(e);
            }
            Files.move(request, dir.resolve(base + ".served"), StandardCopyOption.ATOMIC_MOVE);
            LOG.log(Level.INFO, "serving " + e.describe());
        } catch (IOException | RuntimeException e) {
            // The request gone first, then the answer whole: the client may look the moment it exists.
            Files.deleteIfExists(request);
            Path partial = dir.resolve(base + ".failed-partial");
            Files.writeString(partial, String.valueOf(e) + "\n", StandardCharsets.UTF_8);
            Files.move(partial, dir.resolve(base + ".failed"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (served) {
            served.forEach(Endpoint::close);
            served.clear();
        }
    }
}
