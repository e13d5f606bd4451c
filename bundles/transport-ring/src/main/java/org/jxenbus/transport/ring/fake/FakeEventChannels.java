package org.jxenbus.transport.ring.fake;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;

import org.jxenbus.xenstore.spi.ring.EventChannels;

/**
 * An event-channel device on the fake hypervisor (shared/FAKE-HYPERVISOR.md): kicks are 4-byte
 * little-endian records in FIFOs. The device owns one FIFO it reads ({@link KickReader}) and writes into
 * its peers' FIFOs ({@link KickWriter}). Two roles, as on Xen the two ends of a xenstore ring differ:
 * <ul>
 * <li>{@link #guest}: domain N's device, the client side of its ring. It reads {@code D/dom<N>.evtchn}
 * and kicks xenstored by writing N into {@code D/xenstored.evtchn};</li>
 * <li>{@link #xenstored}: the device xenstored would own. It reads {@code D/xenstored.evtchn}, whose
 * records are the kicking domains' ids, and kicks domain N by writing the port N bound to into
 * {@code D/dom<N>.evtchn}.</li>
 * </ul>
 *
 * <p><b>Blocking.</b> Nothing blocks inside a native call except {@link #await}'s {@code poll}, and that
 * only for its timeout. {@link #notify(int)} never blocks: a kick the peer cannot take (no reader, FIFO
 * full) is dropped and counted, since the ring protocol is level-based.
 *
 * <p><b>Threads.</b> One thread calls {@link #await} (a second concurrent caller gets
 * {@link IllegalStateException}); any thread may call the others. {@link #wakeup()} writes to an eventfd the
 * await polls: the current await, or the next one, returns 0 at once. {@link #close()} wakes the await in
 * progress, waits for it to leave {@code poll} (moments) and for notifies in progress, then closes every
 * descriptor; so no descriptor is closed while another thread uses it. Afterwards {@link #await},
 * {@link #notify} and the binds throw {@link ClosedChannelException}, {@link #wakeup()} does nothing. The
 * pending ports are handed over after the device's lock is released, so the consumer may call anything
 * here, {@link #close()} included. {@code Thread.interrupt()} does not end an await: use {@link #wakeup()}.
 */
public abstract class FakeEventChannels implements EventChannels {

    /** What the device has seen since it was opened; a snapshot. */
    public record Counters(long kicksSent, long kicksDropped, long kicksReceived, long kicksIgnored) {
        @Override
        public String toString() {
            return "kicks sent " + kicksSent + ", dropped " + kicksDropped + ", received " + kicksReceived
                    + ", ignored " + kicksIgnored;
        }
    }

    final FakeHost host;
    final PortTable ports = new PortTable();
    private final KickReader reader;
    private final String description;
    /** Read-held by every use of a descriptor, write-held by {@link #close()} while it closes them. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    private boolean released;
    private final AtomicReference<Thread> awaiting = new AtomicReference<>();
    private final BitSet pending = new BitSet();
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder ignored = new LongAdder();

    FakeEventChannels(FakeHost host, KickReader reader, String description) {
        this.host = Objects.requireNonNull(host, "host");
        this.reader = reader;
        this.description = description;
    }

    /**
     * Domain {@code domid}'s device: reads {@code D/dom<N>.evtchn} (created if missing), kicks xenstored.
     * Its ports bind to domain 0, where the fake's only xenstored lives; any record in its FIFO makes every
     * bound port pending (one, normally).
     *
     * @throws IOException if the FIFO cannot be created or opened
     */
    public static FakeEventChannels guest(FakeHost host, int domid) throws IOException {
        return new GuestEventChannels(host, domid, KickReader.open(host.kickFifo(domid)));
    }

    /**
     * xenstored's device: reads {@code D/xenstored.evtchn} (created if missing); a record N makes the ports
     * bound to domain N pending. Binds only to domains that exist ({@code D/dom<N>.ring}).
     *
     * @throws IOException if the FIFO cannot be created or opened
     */
    public static FakeEventChannels xenstored(FakeHost host) throws IOException {
        return new XenstoredEventChannels(host, KickReader.open(host.xenstoredFifo()));
    }

    /** The host folder. */
    public FakeHost host() {
        return host;
    }

    /** Counts since opening: kicks written, dropped (no reader, full), read, and read for no bound port. */
    public Counters counters() {
        return new Counters(sent.sum(), dropped.sum(), received.sum(), ignored.sum());
    }

    /** Throws unless a port of this device may be bound to {@code domid}. */
    abstract void checkPeer(int domid) throws IOException;

    /** Kicks the peer of {@code binding}; false if the kick was dropped. */
    abstract boolean kick(PortTable.Binding binding) throws IOException;

    /** Marks the ports that record {@code value} concerns in {@code pending}; false if none. */
    abstract boolean onRecord(int value, BitSet pending);

    /** After {@code binding} was unbound. */
    void unbound(PortTable.Binding binding) {
    }

    /** Releases the writers; called once, under the write lock, after the reader is closed. */
    abstract void closeWriters();

    @Override
    public final int bindInterdomain(int domid, int remotePort) throws IOException {
        return bind(domid, remotePort);
    }

    /** {@inheritDoc} The peer's port is unknown, so kicks on it carry remote port 0. */
    @Override
    public final int bindUnbound(int domid) throws IOException {
        return bind(domid, 0);
    }

    private int bind(int domid, int remotePort) throws IOException {
        checkPeer(domid);
        Lock lock = enter();
        try {
            return ports.bind(domid, remotePort);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void unbind(int port) {
        PortTable.Binding b = ports.unbind(port);
        if (b != null) {
            unbound(b);
        }
    }

    /** {@inheritDoc} A dropped kick counts in {@link Counters#kicksDropped()} and is not an error. */
    @Override
    public final void notify(int port) throws IOException {
        Lock lock = enter();
        try {
            PortTable.Binding b = ports.get(port);
            if (b == null) {
                throw new IOException(description + ": port " + port + " is not bound");
            }
            (kick(b) ? sent : dropped).increment();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc} Returns after at most the timeout rounded up to a millisecond (the poll's granularity),
     * at once if a kick or wake-up is already there. Each pending port is reported once per call however
     * many kicks arrived for it.
     *
     * @throws ClosedChannelException if the device was closed before the call
     * @throws IllegalStateException if another thread is awaiting
     */
    @Override
    public final int await(long timeoutNanos, IntConsumer pendingPorts) throws IOException {
        Objects.requireNonNull(pendingPorts, "pendingPorts");
        Thread self = Thread.currentThread();
        if (!awaiting.compareAndSet(null, self)) {
            throw new IllegalStateException(description + ": " + awaiting.get().getName() + " is already awaiting");
        }
        try {
            Lock lock = enter();
            try {
                int records = reader.await(timeoutNanos, this::record);
                received.add(records);
            } finally {
                lock.unlock();
            }
            // Outside the lock: the consumer may notify or close. A throwing consumer leaves the rest pending.
            int count = 0;
            for (int p = pending.nextSetBit(0); p >= 0; p = pending.nextSetBit(p + 1)) {
                pending.clear(p);
                count++;
                pendingPorts.accept(p);
            }
            return count;
        } finally {
            awaiting.set(null);
        }
    }

    private void record(int value) {
        if (!onRecord(value, pending)) {
            ignored.increment();
        }
    }

    @Override
    public final void wakeup() {
        if (closing.get()) {
            return; // close() has woken the await itself
        }
        wake();
    }

    /** Wakes the await unless the descriptors are being closed; never blocks. */
    private void wake() {
        Lock lock = lifecycle.readLock();
        if (!lock.tryLock()) {
            return; // close() holds the write lock: no await is in poll
        }
        try {
            if (!released) {
                reader.wake();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void close() {
        closing.set(true);
        wake();
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (released) {
                return;
            }
            released = true;
            reader.close();
            closeWriters();
            ports.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Read-locks the descriptors open. */
    private Lock enter() throws ClosedChannelException {
        Lock lock = lifecycle.readLock();
        lock.lock();
        if (released || closing.get()) {
            lock.unlock();
            throw new ClosedChannelException();
        }
        return lock;
    }

    @Override
    public String toString() {
        return description;
    }
}
