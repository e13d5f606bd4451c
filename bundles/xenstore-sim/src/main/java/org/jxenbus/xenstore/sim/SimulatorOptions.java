package org.jxenbus.xenstore.sim;

import java.util.Objects;

/**
 * How to start a {@link XenstoreSimulator}. A value.
 *
 * @param name the name {@code sim:NAME} URIs use to reach it; null: a generated one ({@code sim-N})
 * @param profile which xenstored it is
 * @param quotas the per-domain quotas it starts with
 */
public record SimulatorOptions(String name, Profile profile, Quotas quotas) {

    /** Checks the parts. */
    public SimulatorOptions {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(quotas, "quotas");
        if (name != null && !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a simulator name has letters, digits, '.', '_' or '-': " + name);
        }
    }

    /** No name, the {@link Profile#XEN_4_17} profile, xenstored's default quotas. */
    public static SimulatorOptions defaults() {
        return new SimulatorOptions(null, Profile.XEN_4_17, Quotas.XEN_4_17);
    }

    /** These options with a name. */
    public SimulatorOptions withName(String n) {
        return new SimulatorOptions(n, profile, quotas);
    }

    /** These options with a profile. */
    public SimulatorOptions withProfile(Profile p) {
        return new SimulatorOptions(name, p, quotas);
    }

    /** These options with quotas. */
    public SimulatorOptions withQuotas(Quotas q) {
        return new SimulatorOptions(name, profile, q);
    }
}
