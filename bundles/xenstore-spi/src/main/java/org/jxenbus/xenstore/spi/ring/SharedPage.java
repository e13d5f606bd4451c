package org.jxenbus.xenstore.spi.ring;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One 4096-byte page shared with another domain or process. 32-bit words are read and written whole, at
 * aligned offsets, with the ordering named; bytes are copied in bulk.
 *
 * <p>After {@link #close()} every access throws {@link IllegalStateException}: an implementation never
 * lets a caller touch memory it has unmapped (that would crash the JVM). Accesses may come from any thread;
 * {@link #close()} waits for accesses in progress.
 */
@ConsumerType
public interface SharedPage extends AutoCloseable {

    /** The page size. */
    int SIZE = 4096;

    /** Reads the word at {@code offset} with acquire semantics: later reads are not moved before it. */
    int getIntAcquire(int offset);

    /** Writes the word at {@code offset} with release semantics: earlier writes are visible before it. */
    void setIntRelease(int offset, int value);

    /** Reads the word at {@code offset} with volatile (sequentially consistent) semantics. */
    int getIntVolatile(int offset);

    /** Writes the word at {@code offset} with volatile (sequentially consistent) semantics. */
    void setIntVolatile(int offset, int value);

    /** Copies {@code length} bytes from the page at {@code offset} into {@code dst}. */
    void read(int offset, byte[] dst, int dstOffset, int length);

    /** Copies {@code length} bytes from {@code src} into the page at {@code offset}. */
    void write(int offset, byte[] src, int srcOffset, int length);

    /** What the page is, for messages: a file, a grant, dom0's xsd_kva. */
    String describe();

    /** Unmaps the page; idempotent. */
    @Override
    void close();
}
