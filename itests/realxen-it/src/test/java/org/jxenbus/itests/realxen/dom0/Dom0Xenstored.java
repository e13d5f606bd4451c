package org.jxenbus.itests.realxen.dom0;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.RawXsClient;
import org.jxenbus.testsupport.XenTools;
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
}
