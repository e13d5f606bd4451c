package org.jxenbus.guest.agent.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jxenbus.guest.agent.GuestFacts;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * The guest agent: publishes the guest's facts under its domain's home and keeps them current.
 *
 * <p><b>When it publishes.</b> Every {@code interval} (xe-daemon's {@code -i} default and xen-guest-agent's
 * {@code MEM_PERIOD_SECONDS} are both 60 s), writing only what changed. And, comparing with the store instead of
 * with what it wrote, whenever its watch on {@code unique-domain-id} fires: once when it is set (the first
 * publication), again whenever the connection's watches are set anew (the core does so after replacing a lost or
 * switched transport; Linux does so for {@code /dev/xen/xenbus} after the VM resumes, manage.c's sysrq handler
 * notes the watch "fires directly after registering it and after a suspend/resume cycle"), and when the toolstack
 * changes that node, which xe-daemon.go treats as the sign of a resume on another host.
 *
 * <p><b>Threads.</b> One thread, {@code guest-agent-refresh}, started by {@link #start()} and stopped and joined
 * by {@link #close()}, runs every refresh; the watch's listener only hands work to it. {@link #refresh()} may
 * also be called from any thread (it is serialised with the scheduled ones).
 *
 * <p><b>Errors.</b> A part of the facts that cannot be read is logged and keeps what was published for it. A
 * store error fails the refresh: it is logged, and the next refresh compares with the store again.
 */
public final class GuestAgent implements AutoCloseable {

    /** Written by the toolstack; xe-daemon.go clears its cache when it changes (the VM resumed elsewhere). */
    static final String UNIQUE_DOMAIN_ID = "unique-domain-id";

    private static final Logger LOG = System.getLogger(GuestAgent.class.getName());

    private final XenstoreService xs;
    private final GuestFacts facts;
    private final VifDevices vifs;
    private final DomainHome home;
    private final Duration interval;
    private final Clock clock;
    private final GuestNodes nodes = new GuestNodes();
    private final NodePublisher publisher;
    private final AgentWorker refresher = new AgentWorker("guest-agent-refresh");
    private final AtomicLong publications = new AtomicLong();
    private RawWatch resumeWatch;

    /**
     * An agent not yet started.
     *
     * @param interval time between refreshes
     * @param clock the clock of {@code data/updated} (its zone is the stamp's)
     */
    public GuestAgent(XenstoreService xs, GuestFacts facts, VifDevices vifs, DomainHome home, Duration interval,
            Clock clock) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.xs = xs;
        this.facts = facts;
        this.vifs = vifs;
        this.home = home;
        this.interval = interval;
        this.clock = clock;
        this.publisher = new NodePublisher(xs, home);
    }

    /**
     * Sets the watch whose first event brings the first publication, and schedules the refreshes.
     *
     * @throws XenstoreException if the watch cannot be set (the agent is then closed)
     */
    public void start() {
        RawWatch w;
        try {
            w = xs.watch(home.path(UNIQUE_DOMAIN_ID), event -> republishFromStore());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        synchronized (this) {
            resumeWatch = w;
        }
        refresher.every(interval, this::refreshLogged);
    }

    /** Publications completed so far (for monitoring and tests). */
    public long publications() {
        return publications.get();
    }

    /**
     * Publishes now, writing only what changed since the last publication.
     *
     * @return what was written and removed
     * @throws XenstoreException if the store refused or failed a request
     */
    public synchronized Changes refresh() {
        SortedMap<String, String> wanted = new TreeMap<>();
        collect(GuestNodes.Part.OS, () -> GuestNodes.os(facts.os()), wanted);
        collect(GuestNodes.Part.MEMORY, () -> GuestNodes.memory(facts.memory()), wanted);
        collect(GuestNodes.Part.NETWORK, () -> nodes.network(VifMatcher.match(vifMacs(), facts.interfaces())), wanted);
        Changes changes = publisher.publish(wanted, () -> UpdatedStamp.now(clock));
        publications.incrementAndGet();
        return changes;
    }

    /** Hands a refresh to the refresh thread; returns at once. */
    public void refreshSoon() {
        refresher.hand(this::refreshLogged);
    }

    private void collect(GuestNodes.Part part, Supplier<Map<String, String>> read, SortedMap<String, String> into) {
        try {
            into.putAll(read.get());
        } catch (XenstoreException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "guest agent: cannot read the " + part + " facts, keeping what was published: "
                    + e);
            into.putAll(publisher.published(part));
        }
    }

    private Map<String, String> vifMacs() {
        Map<String, String> macs = new LinkedHashMap<>();
        for (String devid : vifs.devids()) {
            try {
                macs.put(devid, xs.read(home.path(VifMatcher.macNode(devid))));
            } catch (NoSuchNodeException e) {
                // a vif being set up or torn down: the next refresh sees it whole or not at all
            }
        }
        return macs;
    }

    /** On the connection's reader thread: only hands the work to the refresh thread. */
    private void republishFromStore() {
        refresher.hand(() -> {
            synchronized (this) {
                publisher.forget();
            }
            refreshLogged();
        });
    }

    private void refreshLogged() {
        try {
            refresh();
        } catch (XenstoreException e) {
            if (refresher.stopping()) { // close() interrupted it: nothing failed
                LOG.log(Level.DEBUG, "guest agent: publishing under '" + home.root() + "' stopped by close: " + e);
                return;
            }
            LOG.log(Level.WARNING, "guest agent: publishing under '" + home.root() + "' failed, retried in "
                    + interval.toSeconds() + " s or on the next resume: " + e);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "guest agent: refresh failed", e);
        }
    }

    /** Removes the watch, stops the refresh thread (interrupting a refresh under way) and waits for it. */
    @Override
    public void close() {
        refresher.stop(() -> {
            synchronized (this) {
                RawWatch w = resumeWatch;
                resumeWatch = null;
                return w;
            }
        });
    }
}
