package org.jxenbus.transport.xendev;

import java.io.IOException;
import java.util.BitSet;
import java.util.function.IntConsumer;

import com.sun.jna.Memory;

import org.jxenbus.xenstore.spi.ring.EventChannels;

/**
 * {@code /dev/xen/evtchn} as an {@link EventChannels} device: bind ioctls return the local port;
 * {@code read()} gives pending ports (each then masked); writing them back unmasks them. Pending ports are
 * unmasked before they are handed on, so a kick arriving while the caller looks at its rings is not lost
 * (xenstored's order). After a ring overflow (poll reports POLLERR, read EFBIG) the device is reset and every
 * bound port is reported pending: the rings are level-based, so looking at all of them loses nothing.
 *
 * <p>One thread awaits; bind, notify, wakeup and close from any thread.
 */
public final class EvtchnDevice implements EventChannels {

    /** Where the device lives. */
    public static final String PATH = "/dev/xen/evtchn";
    private static final int EFBIG = 27;

    private final PolledDescriptors device;
    private final BitSet bound = new BitSet();
    private final byte[] ports = new byte[4096];

    private EvtchnDevice(PolledDescriptors device) {
        this.device = device;
    }

    /**
     * Opens the device (non-blocking, close-on-exec).
     *
     * @throws IOException naming the device if it cannot be opened (not running on Xen, no permission)
     */
    public static EvtchnDevice open() throws IOException {
        int fd = LibC.open(PATH, LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        if (fd < 0) {
            throw LibC.failure("open " + PATH, LibC.errno());
        }
        return new EvtchnDevice(new PolledDescriptors(fd, PATH));
    }

    @Override
    public int bindInterdomain(int domid, int remotePort) throws IOException {
        return bind(XenAbi.IOCTL_EVTCHN_BIND_INTERDOMAIN, "BIND_INTERDOMAIN(" + domid + ", " + remotePort + ")",
                domid, remotePort);
    }

    @Override
    public int bindUnbound(int domid) throws IOException {
        return bind(XenAbi.IOCTL_EVTCHN_BIND_UNBOUND_PORT, "BIND_UNBOUND_PORT(" + domid + ")", domid);
    }

    /** Binds a virtual IRQ ({@link XenAbi#VIRQ_DOM_EXC} for a xenstore server); returns the local port. */
    public int bindVirq(int virq) throws IOException {
        return bind(XenAbi.IOCTL_EVTCHN_BIND_VIRQ, "BIND_VIRQ(" + virq + ")", virq);
    }

    private int bind(long request, String what, int... args) throws IOException {
        return device.with(fd -> {
            try (Memory arg = new Memory(4L * args.length)) {
                for (int i = 0; i < args.length; i++) {
                    arg.setInt(4L * i, args[i]);
                }
                int port = LibC.ioctl(fd, request, arg);
                if (port < 0) {
                    throw LibC.failure(PATH + " " + what, LibC.errno());
                }
                synchronized (bound) {
                    bound.set(port);
                }
                return port;
            }
        });
    }

    @Override
    public void unbind(int port) {
        try {
            device.with(fd -> {
                simple(fd, XenAbi.IOCTL_EVTCHN_UNBIND, port, "UNBIND");
                return null;
            });
        } catch (IOException ignored) {
            // closed already, or not bound here: nothing to release
        }
        synchronized (bound) {
            bound.clear(port);
        }
    }

    @Override
    public void notify(int port) throws IOException {
        device.with(fd -> {
            simple(fd, XenAbi.IOCTL_EVTCHN_NOTIFY, port, "NOTIFY");
            return null;
        });
    }

    /** Empties the device's pending ring and clears an overflow. */
    public void reset() throws IOException {
        device.with(fd -> {
            if (LibC.ioctl(fd, XenAbi.IOCTL_EVTCHN_RESET, 0L) < 0) {
                throw LibC.failure(PATH + " RESET", LibC.errno());
            }
            return null;
        });
    }

    private static void simple(int fd, long request, int port, String what) throws IOException {
        try (Memory arg = new Memory(4)) {
            arg.setInt(0, port);
            if (LibC.ioctl(fd, request, arg) < 0) {
                throw LibC.failure(PATH + " " + what + "(" + port + ")", LibC.errno());
            }
        }
    }

    @Override
    public int await(long timeoutNanos, IntConsumer pending) throws IOException {
        PolledDescriptors.Ready ready;
        try {
            ready = device.await(timeoutNanos);
        } catch (PolledDescriptors.DeviceErrorException overflow) {
            return recoverFromOverflow(pending);
        }
        if (ready != PolledDescriptors.Ready.DEVICE) {
            return 0;
        }
        int[] got = device.with(this::readAndUnmask);
        if (got == null) {
            return recoverFromOverflow(pending);
        }
        for (int port : got) {
            pending.accept(port);
        }
        return got.length;
    }

    /** Reads the pending ports and writes them back (unmask); {@code null} after an overflow. */
    private int[] readAndUnmask(int fd) throws IOException {
        long n = LibC.read(fd, ports, ports.length);
        if (n < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
                return new int[0];
            }
            if (errno == EFBIG) {
                return null;
            }
            throw LibC.failure("read " + PATH, errno);
        }
        if (n > 0 && LibC.write(fd, ports, n) != n) {
            throw LibC.failure("unmask (write) " + PATH, LibC.errno());
        }
        int[] out = new int[(int) n / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = (ports[4 * i] & 0xff) | (ports[4 * i + 1] & 0xff) << 8 | (ports[4 * i + 2] & 0xff) << 16
                    | (ports[4 * i + 3] & 0xff) << 24;
        }
        return out;
    }

    private int recoverFromOverflow(IntConsumer pending) throws IOException {
        reset();
        int[] all;
        synchronized (bound) {
            all = bound.stream().toArray();
        }
        for (int port : all) {
            pending.accept(port);
        }
        return all.length;
    }

    @Override
    public void wakeup() {
        device.wakeup();
    }

    /** Closes the device: the kernel unbinds every port bound through it. */
    @Override
    public void close() {
        device.close();
    }

    @Override
    public String toString() {
        return PATH;
    }
}
