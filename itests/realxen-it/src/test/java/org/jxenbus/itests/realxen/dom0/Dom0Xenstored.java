package org.jxenbus.itests.realxen.dom0;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.RawXsClient;
import org.jxenbus.testsupport.XenTools;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * Dom0's xenstore in the QEMU dom0: it maps {@code /proc/xen/xsd_kva}, and the dom0 kernel's xenbus becomes
 * its client, so {@code /dev/xen/xenbus} works. Debian's real, unshimmed xenstored, started once per JVM and
 * stopped by pid at exit; or, when system property {@value #RUNNING} names a socket, the daemon the job
 * already started there (smoke-dom0.sh with the simulator in xenstored's place), left running.
 */
final class Dom0Xenstored {

    /** The socket of a daemon already serving dom0: then no xenstored is started. */
    static final String RUNNING = "realxen.xenstored.socket";
    /** The running simulator's {@code --grant-requests} folder: it serves rings we offer. */
    static final String GRANT_REQUESTS = "realxen.grantRequests";
    /** What we offer the simulator: a ring granted to dom0, where it runs. */
    static final URI OFFERED_RING = URI.create("ring:gntalloc?server=0");
    private static final Pattern OFFER = Pattern.compile("[?&]gref=(\\d+)&port=(\\d+)");
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    private static Dom0Xenstored instance;

    /** The xenstored this JVM started, or null for a running daemon. */
    private final Process process;
    private final Path socket;
    private final Path log;

    private Dom0Xenstored(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    static synchronized Dom0Xenstored get() throws IOException, InterruptedException {
        if (instance == null) {
            String running = System.getProperty(RUNNING);
            if (running != null && !running.isEmpty()) {
                instance = new Dom0Xenstored(null, Path.of(running), null);
                instance.awaitReady();
            } else {
                instance = start();
            }
        }
        return instance;
    }

    private static Dom0Xenstored start() throws IOException, InterruptedException {
        XenTools tools = XenTools.provision();
        Path rundir = Files.createDirectories(Path.of("/run/xenstored"));
        ProcessBuilder pb = new ProcessBuilder(tools.xenstored().toString(), "-N");
        pb.environment().put("LD_LIBRARY_PATH", tools.libDir().toString());
        pb.environment().put("XENSTORED_RUNDIR", rundir.toString());
        pb.environment().put("XENSTORED_PATH", rundir.resolve("socket").toString());
        pb.redirectErrorStream(true).redirectOutput(rundir.resolve("xenstored.log").toFile());
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        Dom0Xenstored d = new Dom0Xenstored(p, rundir.resolve("socket"), rundir.resolve("xenstored.log"));
        d.awaitReady();
        return d;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IOException("xenstored exited: " + Files.readString(log));
            }
            try (RawXsClient c = new RawXsClient(socket())) {
                c.request(XsMessageType.XS_DIRECTORY, 0, Payloads.strings("/"));
                return;
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("xenstored did not answer on " + socket(), last);
    }

    Path socket() {
        return socket;
    }

    URI socketUri() {
        return URI.create("unix:" + socket());
    }

    static URI xenbusUri() {
        return URI.create("xenbus:/dev/xen/xenbus");
    }

    /** Whether the running daemon serves rings we offer ({@link #OFFERED_RING}). */
    static boolean servesOfferedRings() {
        String dir = System.getProperty(GRANT_REQUESTS);
        return dir != null && !dir.isEmpty();
    }

    /**
     * Opens {@code uri}; for {@link #OFFERED_RING}, also asks the running simulator to serve the ring just
     * offered (its grant and port are in the connection's description) and waits until it does.
     *
     * @throws UncheckedIOException if the simulator refuses or does not answer within 60 s
     */
    static XenstoreConnection open(URI uri) {
        XenstoreConnection xs = Xenstore.open(uri);
        if (uri.getScheme().equals("ring")) {
            try {
                askToServe(xs.describe());
            } catch (IOException | RuntimeException e) {
                xs.close();
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            } catch (InterruptedException e) {
                xs.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the simulator", e);
            }
        }
        return xs;
    }

    private static void askToServe(String offered) throws IOException, InterruptedException {
        Matcher m = OFFER.matcher(offered);
        if (!m.find() || !servesOfferedRings()) {
            throw new IOException("cannot have " + offered + " served (grant requests: "
                    + System.getProperty(GRANT_REQUESTS) + ")");
        }
        Path dir = Path.of(System.getProperty(GRANT_REQUESTS));
        String name = "dom0-suite-" + ProcessHandle.current().pid() + "-" + REQUESTS.incrementAndGet();
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, "0 " + m.group(1) + " " + m.group(2) + "\n");
        Files.move(tmp, dir.resolve(name + ".request"), StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(dir.resolve(name + ".served"))) {
                return;
            }
            Path failed = dir.resolve(name + ".failed");
            if (Files.exists(failed)) {
                throw new IOException("the simulator did not serve " + offered + ": " + Files.readString(failed));
            }
            Thread.sleep(50);
        }
        throw new IOException("the simulator did not answer " + dir.resolve(name + ".request") + " in 60 s");
    }
}
