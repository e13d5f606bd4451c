package org.jxenbus.transport.xendev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux's {@code /dev/xen/xenbus} (or {@code /proc/xen/xenbus}): the kernel's pass-through to xenstore, as
 * a guest agent reaches it. Opened several times: descriptor {@link #WATCHES} carries WATCH and UNWATCH
 * (the kernel answers them itself, and a WATCH write blocks until xenstored acks it, so it must not stall
 * other requests); the request descriptors {@link #request(int) request(0)} ... carry everything else. The
 * kernel keeps transactions and watches per descriptor. Reads are non-blocking; a read of length 0 is never
 * made (it would spin in the 6.1 driver). Each message goes out in exactly one {@code write()}: the kernel
 * keeps only the first message of a write.
 *
 * <p>The driver references a request's payload inside the descriptor's message buffer until its own thread
 * has sent it, so a descriptor must not be written again before the previous request is answered; callers
 * that want concurrency use several request descriptors.
 *
 * <p>One thread reads and waits; writes to each descriptor from one thread each; wakeup and close from any.
 */
public final class XenbusDevice implements AutoCloseable {

    /** The device. */
    public static final String DEVICE = "/dev/xen/xenbus";
    /** Where older setups have it (xenfs). */
    public static final String PROC = "/proc/xen/xenbus";
    /** Index of the descriptor for WATCH and UNWATCH. */
    public static final int WATCHES = 0;
    /** At most this many request descriptors. */
    public static final int MAX_REQUEST_DESCRIPTORS = 16;

    private final PolledDescriptors files;
    private final String path;
    private final int requestDescriptors;

    private XenbusDevice(PolledDescriptors files, String path, int requestDescriptors) {
        this.files = files;
        this.path = path;
        this.requestDescriptors = requestDescriptors;
    }

    /** The index of request descriptor {@code i} (0-based), for {@link #writeMessage} and {@link #read}. */
    public static int request(int i) {
        return 1 + i;
    }

    /** The device path libxenstore would use: {@link #DEVICE} if it exists, else {@link #PROC}. */
    public static String defaultPath() {
        return Files.exists(Path.of(DEVICE)) ? DEVICE : PROC;
    }

    /**
     * Opens {@code path} once for watches and {@code requestDescriptors} times for requests (read-write,
     * non-blocking, close-on-exec).
     *
     * @throws IllegalArgumentException if {@code requestDescriptors} is not within 1 ..
     *         {@value #MAX_REQUEST_DESCRIPTORS}
     * @throws IOException if it cannot be opened (ENOENT also when the kernel has no xenstore)
     */
    public static XenbusDevice open(String path, int requestDescriptors) throws IOException {
        if (requestDescriptors < 1 || requestDescriptors > MAX_REQUEST_DESCRIPTORS) {
            throw new IllegalArgumentException("request descriptors must be within 1.." + MAX_REQUEST_DESCRIPTORS
                    + ", got " + requestDescriptors);
        }
        int[] fds = new int[1 + requestDescriptors];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = LibC.open(path, LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
            if (fds[i] < 0) {
                int errno = LibC.errno();
                for (int j = 0; j < i; j++) {
                    LibC.close(fds[j]);
                }
                throw LibC.failure("open " + path + (i == 0 ? "" : " (descriptor " + (i + 1) + ")"), errno);
            }
        }
        return new XenbusDevice(new PolledDescriptors(fds, path), path, requestDescriptors);
    }

    /** The path opened. */
    public String path() {
        return path;
    }

    /** How many request descriptors were opened. */
    public int requestDescriptors() {
        return requestDescriptors;
    }

    /**
     * Writes one whole message to descriptor {@code which} in one {@code write()}. For a WATCH this blocks
     * until xenstored acknowledges it.
     *
     * @throws IOException if the kernel refuses (E2BIG over 4096 bytes with the header, EINVAL ...)
     */
    public void writeMessage(int which, byte[] message) throws IOException {
        files.with(which, fd -> {
            while (true) {
                long n = LibC.write(fd, message, message.length);
                if (n == message.length) {
                    return null;
                }
                int errno = LibC.errno();
                if (n < 0 && errno == LibC.EINTR) {
                    continue;
                }
                if (n < 0) {
                    throw LibC.failure("write " + path, errno);
                }
                throw new IOException("write " + path + " took " + n + " of " + message.length + " bytes");
            }
        });
    }

    /**
     * Reads what is queued on descriptor {@code which} into {@code buf} without blocking.
     *
     * @return the bytes read, 0 if nothing was queued
     */
    public int read(int which, byte[] buf) throws IOException {
        if (buf.length == 0) {
            throw new IllegalArgumentException("a zero-length read would spin in the driver");
        }
        return files.with(which, fd -> {
            while (true) {
                long n = LibC.read(fd, buf, buf.length);
                if (n >= 0) {
                    return (int) n;
                }
                int errno = LibC.errno();
                if (errno == LibC.EAGAIN) {
                    return 0;
                }
                if (errno != LibC.EINTR) {
                    throw LibC.failure("read " + path, errno);
                }
            }
        });
    }

    /**
     * Waits until a descriptor is readable, {@link #wakeup()} is called, or the timeout passes.
     *
     * @return bit i set for each readable descriptor of index i; 0 if none
     */
    public int await(long timeoutNanos) throws IOException {
        return files.await(timeoutNanos) == PolledDescriptors.Ready.DEVICE ? files.readyMask() : 0;
    }

    /** Makes the current or next {@link #await} return. */
    public void wakeup() {
        files.wakeup();
    }

    /**
     * Closes every descriptor once no thread uses them: the kernel then aborts their transactions and removes
     * their watches. Waits for a WATCH write in progress (the kernel's ack).
     */
    @Override
    public void close() {
        files.close();
    }
}
