package org.jxenbus.guest.agent.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The guest agent (PID {@value GuestAgentComponent#PID}); without a configuration, the defaults. */
@ObjectClassDefinition(name = "jxenbus guest agent", description = "Publishes the guest's OS, memory and vif "
        + "addresses where xe-guest-utilities and xen-guest-agent do, writing only what changed.")
@interface AgentConfiguration {

    @AttributeDefinition(name = "Refresh interval (s)", min = "1", description = "time between refreshes (both "
            + "agents use 60 s); the agent also republishes at once when the connection's watches are set anew")
    long refreshSeconds() default 60;

    @AttributeDefinition(name = "Home", required = false, description = "empty: relative paths, which the guest's "
            + "own connection resolves against /local/domain/<domid>; else an absolute home such as /local/domain/5")
    String root() default "";

    @AttributeDefinition(name = "vif devices", description = "where the vif devices come from: the store "
            + "(device/vif listed on each refresh) or the device probe's XenbusDevice services",
            options = {@Option(label = "listed from the store", value = VifSource.STORE),
                @Option(label = "the device probe's services", value = VifSource.PROBE)})
    String vifSource() default VifSource.STORE;

    /** The values of {@link AgentConfiguration#vifSource()}. */
    final class VifSource {
        static final String STORE = "store";
        static final String PROBE = "probe";

        private VifSource() {
        }
    }
}
