package org.jxenbus.transport.xendev;

import java.io.IOException;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few glibc calls the transports need that neither Java nor JNA's platform library offers:
 * non-blocking device, FIFO and eventfd I/O, {@code poll}, {@code ioctl}, {@code mmap}. Declared here (shared/reference/XEN-DEVICE-ABI.md §5)
 * so nothing ever blocks inside a native call: descriptors are opened {@code O_NONBLOCK} and waits go
 * through {@link #poll} with a timeout.
 *
 * <p>JNA direct mapping ({@link Native#register}) rather than an interface proxy: a call costs about 1 µs
 * instead of 4-5 µs, and every kick and wait goes through here. Calls return -1 on failure and leave errno
 * for {@link #errno()} (JNA keeps it per thread); {@link #failure} turns it into an exception. Linux LP64
 * only: {@code ssize_t}, {@code size_t} and {@code nfds_t} are {@code long}, the flag values are the
 * asm-generic ones (x86_64 and aarch64).
 *
 * <p>Thread-safe, as the C functions are.
 */
public final class LibC {

    static {
        Native.register(LibC.class, "c");
    }

    private LibC() {
    }

    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_WRONLY}. */
    public static final int O_WRONLY = 1;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_NONBLOCK} (04000). */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC} (02000000). */
    public static final int O_CLOEXEC = 0x80000;

    /** {@code EFD_NONBLOCK}, equal to {@code O_NONBLOCK}. */
    public static final int EFD_NONBLOCK = O_NONBLOCK;
    /** {@code EFD_CLOEXEC}, equal to {@code O_CLOEXEC}. */
    public static final int EFD_CLOEXEC = O_CLOEXEC;

    /** {@code POLLIN}. */
    public static final short POLLIN = 0x1;
    /** {@code POLLERR}. */
    public static final short POLLERR = 0x8;
    /** {@code POLLHUP}. */
    public static final short POLLHUP = 0x10;
    /** {@code POLLNVAL}. */
    public static final short POLLNVAL = 0x20;
    /** {@code sizeof(struct pollfd)}: {@code int fd; short events; short revents}. */
    public static final int POLLFD_SIZE = 8;
    /** Offset of {@code events} in {@code struct pollfd}. */
    public static final int POLLFD_EVENTS = 4;
    /** Offset of {@code revents} in {@code struct pollfd}. */
    public static final int POLLFD_REVENTS = 6;

    /** {@code ENOENT}. */
    public static final int ENOENT = 2;
    /** {@code EINTR}. */
    public static final int EINTR = 4;
    /** {@code ENXIO}: a non-blocking open for writing found no reader. */
    public static final int ENXIO = 6;
    /** {@code EAGAIN}: nothing to read, or no room to write, without blocking. */
    public static final int EAGAIN = 11;
    /** {@code EEXIST}. */
    public static final int EEXIST = 17;
    /** {@code EPIPE}: writing to a FIFO whose readers are all gone (the JVM ignores SIGPIPE). */
    public static final int EPIPE = 32;
    /** {@code EINVAL}. */
    public static final int EINVAL = 22;
    /** {@code ENOTTY}: an ioctl the device does not implement. */
    public static final int ENOTTY = 25;

    /** {@code PROT_READ}. */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 2;
    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 1;

    /** {@code open(2)} without {@code O_CREAT} (so without a mode). */
    public static native int open(String path, int flags);

    /** {@code close(2)}. */
    public static native int close(int fd);

    /** {@code read(2)} into {@code buf[0..count)}. */
    public static native long read(int fd, byte[] buf, long count);

    /** {@code write(2)} of {@code buf[0..count)}. */
    public static native long write(int fd, byte[] buf, long count);

    /** {@code poll(2)} on {@code nfds} {@code struct pollfd} at {@code fds}; {@code timeout} in ms. */
    public static native int poll(Pointer fds, long nfds, int timeout);

    /** {@code ioctl(2)} with a pointer argument; {@code request} as glibc's {@code unsigned long}. */
    public static native int ioctl(int fd, long request, Pointer arg);

    /** {@code ioctl(2)} with an integer argument passed by value. */
    public static native int ioctl(int fd, long request, long arg);

    /** {@code mmap(2)}; returns {@code MAP_FAILED} (-1 as a pointer) on failure. */
    public static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    /** {@code munmap(2)}. */
    public static native int munmap(Pointer addr, long length);

    /** Whether {@link #mmap} failed. */
    public static boolean mapFailed(Pointer p) {
        return p == null || Pointer.nativeValue(p) == -1L;
    }

    /** {@code eventfd(2)}. */
    public static native int eventfd(int initval, int flags);

    /** {@code mkfifo(3)}. */
    public static native int mkfifo(String path, int mode);

    /** {@code strerror(3)}: the message for an errno value. */
    public static native String strerror(int errnum);

    /** The errno left by the last call on this thread. */
    public static int errno() {
        return Native.getLastError();
    }

    /** An exception for a failed call: {@code what}, then errno's message and number. */
    public static IOException failure(String what, int errno) {
        return new IOException(what + ": " + strerror(errno) + " (errno " + errno + ")");
    }
}
