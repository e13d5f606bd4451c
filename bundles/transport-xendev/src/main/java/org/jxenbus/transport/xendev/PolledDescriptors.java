package org.jxenbus.transport.xendev;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.sun.jna.Memory;

/**
 * Device descriptors waited on with {@code poll(2)} together with an eventfd for wake-ups, and closed
 * safely: every use of a descriptor holds a read lock that {@link #close()} excludes (after waking any
 * waiter), so no descriptor is ever closed, and its number reused, while another thread uses it.
 *
 * <p>Thread-safe: one thread waits; any thread may wake it, use the descriptor, or close.
 */
final class PolledDescriptors implements AutoCloseable {

    /** What a wait saw. */
    enum Ready { DEVICE, WOKEN, TIMEOUT }

    private final int[] fds;
    private int readyMask;
    private final int wakeFd;
    private final String what;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closing;
    private boolean closed;

    /**
     * Owns {@code fd} from now on.
     *
     * @throws IOException if the eventfd cannot be made (then {@code fd} is closed)
     */
    PolledDescriptors(int fd, String what) throws IOException {
        this(new int[] {fd}, what);
    }

    /** Owns every descriptor of {@code fds} from now on; waits watch all of them. */
    PolledDescriptors(int[] fds, String what) throws IOException {
        this.fds = fds.clone();
        this.what = what;
        int w = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (w < 0) {
            int errno = LibC.errno();
            for (int fd : fds) {
                LibC.close(fd);
            }
            throw LibC.failure(what + ": eventfd", errno);
        }
        this.wakeFd = w;
    }

    /** Runs {@code use} with the (first) descriptor, excluding {@link #close()}. */
    <T> T with(DescriptorUse<T> use) throws IOException {
        return with(0, use);
    }

    /** Runs {@code use} with descriptor {@code index}, excluding {@link #close()}. */
    <T> T with(int index, DescriptorUse<T> use) throws IOException {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            return use.apply(fds[index]);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** After {@link #await} returned {@link Ready#DEVICE}: bit i set if descriptor i was readable. */
    int readyMask() {
        return readyMask;
    }

    /** A use of the open descriptor. */
    @FunctionalInterface
    interface DescriptorUse<T> {
        T apply(int fd) throws IOException;
    }

    /**
     * Waits until the device is readable, {@link #wakeup()} was called, or the timeout passes (rounded up to
     * a millisecond; 0 only looks). Retries after EINTR with the time left.
     *
     * @throws IOException if poll reports an error on the device
     */
    Ready await(long timeoutNanos) throws IOException {
        return with(0, ignored -> {
            int n = fds.length;
            long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
            try (Memory polled = new Memory((n + 1L) * LibC.POLLFD_SIZE)) {
                while (true) {
                    polled.clear();
                    for (int i = 0; i <= n; i++) {
                        polled.setInt((long) i * LibC.POLLFD_SIZE, i < n ? fds[i] : wakeFd);
                        polled.setShort((long) i * LibC.POLLFD_SIZE + LibC.POLLFD_EVENTS, LibC.POLLIN);
                    }
                    long left = deadline - System.nanoTime();
                    int ms = left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
                    int got = LibC.poll(polled, n + 1, closing ? 0 : ms);
                    if (got < 0) {
                        int errno = LibC.errno();
                        if (errno == LibC.EINTR) {
                            continue;
                        }
                        throw LibC.failure(what + ": poll", errno);
                    }
                    int mask = 0;
                    for (int i = 0; i < n; i++) {
                        short revents = polled.getShort((long) i * LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS);
                        if ((revents & (LibC.POLLERR | LibC.POLLNVAL)) != 0) {
                            throw new DeviceErrorException(what + ": poll reports " + ((revents & LibC.POLLNVAL) != 0
                                    ? "an invalid descriptor" : "an error") + " (revents 0x"
                                    + Integer.toHexString(revents) + ")");
                        }
                        if ((revents & LibC.POLLIN) != 0) {
                            mask |= 1 << i;
                        }
                    }
                    short wake = polled.getShort((long) n * LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS);
                    if ((wake & LibC.POLLIN) != 0) {
                        drainWakeups();
                    }
                    readyMask = mask;
                    if (mask != 0) {
                        return Ready.DEVICE;
                    }
                    if ((wake & LibC.POLLIN) != 0 || closing) {
                        return Ready.WOKEN;
                    }
                    if (got == 0 && System.nanoTime() - deadline >= 0) {
                        return Ready.TIMEOUT;
                    }
                }
            }
        });
    }

    /** Makes the current or next {@link #await} return. Never blocks; a no-op after close. */
    void wakeup() {
        if (!lifecycle.readLock().tryLock()) {
            return;
        }
        try {
            if (!closed) {
                LibC.write(wakeFd, ONE, 8);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void drainWakeups() {
        LibC.read(wakeFd, new byte[8], 8);
    }

    /** Wakes any waiter, waits for every use to end, then closes every descriptor and the eventfd. Idempotent. */
    @Override
    public void close() {
        closing = true;
        wakeup();
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                for (int fd : fds) {
                    LibC.close(fd);
                }
                LibC.close(wakeFd);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    /** poll reported POLLERR or POLLNVAL on the device (an event-channel ring overflow, for one). */
    static final class DeviceErrorException extends IOException {
        private static final long serialVersionUID = 1L;

        DeviceErrorException(String message) {
            super(message);
        }
    }
}
