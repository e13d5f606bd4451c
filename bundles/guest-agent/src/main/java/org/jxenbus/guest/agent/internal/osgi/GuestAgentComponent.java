package org.jxenbus.guest.agent.internal.osgi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;

import org.jxenbus.guest.agent.GuestFacts;
import org.jxenbus.guest.agent.internal.DomainHome;
import org.jxenbus.guest.agent.internal.GuestAgent;
import org.jxenbus.guest.agent.internal.StoreVifDevices;
import org.jxenbus.guest.agent.internal.VifDevices;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The guest agent in OSGi: one {@link GuestAgent} over this bundle's {@link XenstoreService} and the
 * highest-ranked {@link GuestFacts} (a better-ranked one arriving restarts it). A configuration change restarts it
 * too; so does a new XenstoreService (the runtime re-registers it when the connection is rebuilt), and a restart
 * publishes comparing with the store. With {@code vifSource=probe}, the vifs are the device probe's frontend vif
 * services, and one coming or going brings a refresh at once. Invalid configuration is one ERROR line and no agent
 * until it is fixed.
 */
@Component(immediate = true, configurationPid = GuestAgentComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AgentConfiguration.class)
public final class GuestAgentComponent {

    /** The configuration PID. */
    public static final String PID = "org.jxenbus.guest.agent";

    private static final Logger LOG = System.getLogger(GuestAgentComponent.class.getName());

    private final ProbedVifDevices probed = new ProbedVifDevices();
    private final boolean useProbe;
    private final GuestAgent agent;

    /** Starts the agent, unless the configuration is invalid. */
    @Activate
    public GuestAgentComponent(@Reference XenstoreService xs,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) GuestFacts facts, AgentConfiguration config) {
        GuestAgent started = null;
        try {
            DomainHome home = new DomainHome(config.root());
            Duration interval = Duration.ofSeconds(config.refreshSeconds());
            VifDevices vifs = switch (config.vifSource()) {
                case AgentConfiguration.VifSource.STORE -> new StoreVifDevices(xs, home);
                case AgentConfiguration.VifSource.PROBE -> probed;
                default -> throw new IllegalArgumentException("vifSource must be store or probe: '"
                        + config.vifSource() + "'");
            };
            started = new GuestAgent(xs, facts, vifs, home, interval, Clock.systemDefaultZone());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "guest agent configuration " + PID + " is invalid, no agent until it is fixed: "
                    + e.getMessage());
        }
        agent = started;
        useProbe = AgentConfiguration.VifSource.PROBE.equals(config.vifSource());
        if (agent != null) {
            agent.start();
        }
    }

    /** A vif the probe found: published at once rather than at the next refresh. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = ProbedVifDevices.VIF_FILTER)
    void addVif(XenbusDevice device) {
        probed.add(device);
        refreshIfProbed();
    }

    void removeVif(XenbusDevice device) {
        probed.remove(device);
        refreshIfProbed();
    }

    private void refreshIfProbed() {
        if (useProbe && agent != null) {
            agent.refreshSoon();
        }
    }

    @Deactivate
    void deactivate() {
        if (agent != null) {
            agent.close();
        }
    }
}
