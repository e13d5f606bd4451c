package org.jxenbus.transport.xenbus.internal;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jxenbus.transport.xendev.XenbusDevice;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * Writes WATCH and UNWATCH to the xenbus device's second descriptor from its own thread
 * ({@code xenstore-xenbus-watch-N}): the kernel's WATCH write blocks until xenstored acks it, and must not
 * stall the I/O thread. The thread exists only while there are watch requests to write (it leaves after a
 * short idle time) and is never interrupted: an interrupted blocking write could close the descriptor, and
 * the kernel would drop the file's watches and transactions. The acknowledgement arrives on the second
 * descriptor, read by the I/O thread.
 */
final class WatchWriter {

    private static final AtomicLong THREADS = new AtomicLong();
    private static final long IDLE_MILLIS = 2000;
    /** Wakes the thread's wait at close; never written (the thread checks {@code closing} first). */
    private static final XsMessage WAKE = new XsMessage(0, 0, 0, new byte[0]);

    private final XenbusDevice device;
    private final BlockingQueue<XsMessage> queue = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    private Thread thread;
    private volatile boolean writing;
    private volatile boolean closing;
    private volatile IOException failure;

    WatchWriter(XenbusDevice device) {
        this.device = device;
    }

    void submit(XsMessage m) {
        queue.add(m);
        synchronized (lifecycle) {
            if (thread == null && !closing) {
                thread = new Thread(this::run, "xenstore-xenbus-watch-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /** Rethrows a write failure on the I/O thread, where it fails the connection. */
    void checkFailure() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw f;
        }
    }

    boolean idle() {
        return queue.isEmpty() && !writing;
    }

    private void run() {
        try {
            while (!closing) {
                XsMessage m = queue.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                if (closing) {
                    return;
                }
                if (m == null) {
                    synchronized (lifecycle) {
                        if (queue.isEmpty()) {
                            thread = null;
                            return;
                        }
                    }
                    continue;
                }
                writing = true;
                try {
                    device.writeMessage(XenbusDevice.WATCHES, XsWire.encode(m));
                } finally {
                    writing = false;
                }
                device.wakeup();
            }
        } catch (IOException e) {
            failure = e;
            device.wakeup();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (lifecycle) {
                if (thread == Thread.currentThread()) {
                    thread = null;
                }
            }
        }
    }

    /** Stops taking work; a write in progress finishes (the device's close waits for it). */
    void close() {
        closing = true;
        Thread t;
        synchronized (lifecycle) {
            t = thread;
        }
        if (t != null) {
            queue.add(WAKE);
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
