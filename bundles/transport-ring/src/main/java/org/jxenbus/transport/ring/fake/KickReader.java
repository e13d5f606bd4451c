package org.jxenbus.transport.ring.fake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.IntConsumer;

import com.sun.jna.Memory;

import org.jxenbus.transport.xendev.LibC;

/**
 * The receiving side of a fake event-channel device: the device's own FIFO, read as a stream of 4-byte
 * little-endian records, plus an eventfd that {@link #wake()} signals. Three descriptors:
 * <ul>
 * <li>the FIFO, {@code O_RDONLY|O_NONBLOCK}: what {@link #await} polls and drains;</li>
 * <li>the FIFO again, {@code O_WRONLY|O_NONBLOCK}, never written: while we hold a write end the read end
 * never polls POLLHUP. Without it, once the last peer closed its write end (xenstored restarted), every
 * poll would return at once and the waiting thread would spin;</li>
 * <li>an eventfd for {@link #wake()}, rather than a record written into our own FIFO: a wake-up then never
 * looks like a kick (await returns 0 for it, as the SPI says), and it cannot be dropped when the FIFO is
 * full of kicks.</li>
 * </ul>
 *
 * <p>Not thread-safe: one thread awaits; {@link #wake()} may be called from any thread while the
 * descriptors are open. The owner serialises {@link #close()} against both.
 */
final class KickReader {

    /** Bytes of one kick record. */
    static final int RECORD_SIZE = 4;
    /** Most bytes drained per await: a full pipe at Linux's default size. More keeps the FIFO readable. */
    private static final int DRAIN_MAX = 64 * 1024;
    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;
    private static final byte[] ONE = eventfdValue(1);

    private final Path fifo;
    private final int readFd;
    private final int keepAliveFd;
    private final int wakeFd;
    private final Memory pollFds = new Memory(2L * LibC.POLLFD_SIZE);
    private final byte[] buffer = new byte[4096];
    private final byte[] eventfdBuffer = new byte[8];
    private int partial;
    private int partialBytes;
    private boolean closed;

    private KickReader(Path fifo, int readFd, int keepAliveFd, int wakeFd) {
        this.fifo = fifo;
        this.readFd = readFd;
        this.keepAliveFd = keepAliveFd;
        this.wakeFd = wakeFd;
        pollFds.setInt(0, readFd);
        pollFds.setShort(LibC.POLLFD_EVENTS, LibC.POLLIN);
        pollFds.setInt(LibC.POLLFD_SIZE, wakeFd);
        pollFds.setShort(LibC.POLLFD_SIZE + LibC.POLLFD_EVENTS, LibC.POLLIN);
    }

    /**
     * Creates the FIFO if missing and opens it. Records already in it are kept: they are kicks like any
     * other (a stale one costs a look at the ring).
     */
    static KickReader open(Path fifo) throws IOException {
        Fifos.ensure(fifo);
        int readFd = LibC.open(fifo.toString(), LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (readFd < 0) {
            throw LibC.failure("open " + fifo + " for reading", LibC.errno());
        }
        // Succeeds without blocking: we are a reader now.
        int keepAliveFd = LibC.open(fifo.toString(), LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (keepAliveFd < 0) {
            IOException e = LibC.failure("open " + fifo + " for writing", LibC.errno());
            LibC.close(readFd);
            throw e;
        }
        int wakeFd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (wakeFd < 0) {
            IOException e = LibC.failure("eventfd", LibC.errno());
            LibC.close(keepAliveFd);
            LibC.close(readFd);
            throw e;
        }
        return new KickReader(fifo, readFd, keepAliveFd, wakeFd);
    }

    /**
     * Waits in {@code poll} until a record or a wake-up arrives or the timeout passes (rounded up to whole
     * milliseconds; {@code <= 0} only looks), then hands every complete record drained (up to 64 KiB) to
     * {@code records} in arrival order. A partial record is kept for the next call. Restarts the poll with
     * the time left after EINTR. Clears a pending wake-up.
     *
     * @return the number of records handed over
     * @throws IOException if poll or read fail, or the FIFO reports an error
     */
    int await(long timeoutNanos, IntConsumer records) throws IOException {
        short fifoEvents = poll(timeoutNanos);
        short wakeEvents = pollFds.getShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS);
        if ((wakeEvents & LibC.POLLIN) != 0) {
            consumeWakeup();
        }
        if ((fifoEvents & (LibC.POLLERR | LibC.POLLNVAL)) != 0) {
            throw new IOException(fifo + ": poll reports an error (revents 0x" + Integer.toHexString(fifoEvents) + ")");
        }
        if ((fifoEvents & LibC.POLLIN) != 0) {
            return drain(records);
        }
        if ((fifoEvents & LibC.POLLHUP) != 0) {
            // We hold a write end, so this cannot happen; returning would make the caller spin.
            throw new IOException(fifo + ": POLLHUP although a write end is held open");
        }
        return 0;
    }

    /** Makes the current or next {@link #await} return. Any thread, while open. */
    void wake() {
        LibC.write(wakeFd, ONE, ONE.length); // EAGAIN only if the counter is near 2^64: still readable
    }

    /** Closes the descriptors. The owner guarantees no await or wake runs concurrently. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        LibC.close(wakeFd);
        LibC.close(keepAliveFd);
        LibC.close(readFd);
        pollFds.close();
    }

    private short poll(long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + Math.max(0, Math.min(timeoutNanos, MAX_TIMEOUT_NANOS));
        while (true) {
            long left = Math.max(0, deadline - System.nanoTime());
            int millis = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
            pollFds.setShort(LibC.POLLFD_REVENTS, (short) 0);
            pollFds.setShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS, (short) 0);
            if (LibC.poll(pollFds, 2, millis) >= 0) {
                return pollFds.getShort(LibC.POLLFD_REVENTS);
            }
            int errno = LibC.errno();
            if (errno != LibC.EINTR) {
                throw LibC.failure("poll " + fifo, errno);
            }
        }
    }

    private int drain(IntConsumer records) throws IOException {
        int count = 0;
        int drained = 0;
        while (drained < DRAIN_MAX) {
            long n = LibC.read(readFd, buffer, buffer.length);
            if (n < 0) {
                int errno = LibC.errno();
                if (errno == LibC.EINTR) {
                    continue;
                }
                if (errno == LibC.EAGAIN) {
                    break;
                }
                throw LibC.failure("read " + fifo, errno);
            }
            for (int i = 0; i < n; i++) {
                partial |= (buffer[i] & 0xff) << (8 * partialBytes);
                if (++partialBytes == RECORD_SIZE) {
                    records.accept(partial);
                    count++;
                    partial = 0;
                    partialBytes = 0;
                }
            }
            drained += (int) n;
            if (n < buffer.length) {
                break; // a short read emptied the pipe
            }
        }
        return count;
    }

    private void consumeWakeup() throws IOException {
        if (LibC.read(wakeFd, eventfdBuffer, eventfdBuffer.length) < 0) {
            int errno = LibC.errno();
            if (errno != LibC.EAGAIN && errno != LibC.EINTR) {
                throw LibC.failure("read the wake-up eventfd", errno);
            }
        }
    }

    private static byte[] eventfdValue(long value) {
        byte[] b = new byte[8];
        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putLong(value);
        return b;
    }

    @Override
    public String toString() {
        return "kicks from " + fifo;
    }
}
