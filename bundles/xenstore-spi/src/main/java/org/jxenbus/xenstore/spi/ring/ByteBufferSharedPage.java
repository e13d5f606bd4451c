package org.jxenbus.xenstore.spi.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;

/**
 * A {@link SharedPage} over a 4096-byte {@link ByteBuffer}: a heap buffer (tests), a file mapping (the fake
 * hypervisor's ring files), or native memory mapped from a device (gntdev, gntalloc, xsd_kva) together with
 * the action that unmaps it.
 *
 * <p>Words are accessed through a {@link VarHandle} view in the host's byte order, so acquire, release and
 * volatile accesses compile to the fences the ring protocol needs. Every access holds a read lock that
 * {@link #close()} excludes before it marks the page closed and unmaps it: after {@link #close()} an
 * access throws {@link IllegalStateException} instead of touching unmapped memory.
 *
 * <p>Thread-safe.
 */
public final class ByteBufferSharedPage implements SharedPage {

    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    private final String description;
    private final Runnable unmap;
    private final StampedLock lock = new StampedLock();
    private boolean closed;

    /**
     * @param buffer exactly {@link #SIZE} bytes; its position and limit are not used
     * @param description what the page is, for messages
     * @param unmap run once by {@link #close()} after the last access; may be {@code () -> { }}
     */
    public ByteBufferSharedPage(ByteBuffer buffer, String description, Runnable unmap) {
        if (Objects.requireNonNull(buffer, "buffer").capacity() != SIZE) {
            throw new IllegalArgumentException("a shared page is " + SIZE + " bytes, not " + buffer.capacity());
        }
        this.buffer = buffer.duplicate().clear();
        this.description = Objects.requireNonNull(description, "description");
        this.unmap = Objects.requireNonNull(unmap, "unmap");
    }

    /** A page in heap memory, for tests and in-process peers. */
    public static ByteBufferSharedPage onHeap(String description) {
        return new ByteBufferSharedPage(ByteBuffer.allocateDirect(SIZE), description, () -> { });
    }

    @Override
    public int getIntAcquire(int offset) {
        long stamp = enter();
        try {
            return (int) INTS.getAcquire(buffer, checkWord(offset));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void setIntRelease(int offset, int value) {
        long stamp = enter();
        try {
            INTS.setRelease(buffer, checkWord(offset), value);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public int getIntVolatile(int offset) {
        long stamp = enter();
        try {
            return (int) INTS.getVolatile(buffer, checkWord(offset));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void setIntVolatile(int offset, int value) {
        long stamp = enter();
        try {
            INTS.setVolatile(buffer, checkWord(offset), value);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void read(int offset, byte[] dst, int dstOffset, int length) {
        long stamp = enter();
        try {
            buffer.get(checkRange(offset, length), dst, dstOffset, length);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void write(int offset, byte[] src, int srcOffset, int length) {
        long stamp = enter();
        try {
            buffer.put(checkRange(offset, length), src, srcOffset, length);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        long stamp = lock.writeLock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            unmap.run();
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private long enter() {
        long stamp = lock.readLock();
        if (closed) {
            lock.unlockRead(stamp);
            throw new IllegalStateException(description + " is unmapped");
        }
        return stamp;
    }

    private static int checkWord(int offset) {
        if (offset < 0 || offset > SIZE - 4 || (offset & 3) != 0) {
            throw new IndexOutOfBoundsException("not an aligned word of the page: " + offset);
        }
        return offset;
    }

    private static int checkRange(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > SIZE) {
            throw new IndexOutOfBoundsException("outside the page: " + offset + "+" + length);
        }
        return offset;
    }

    @Override
    public String toString() {
        return description;
    }
}
