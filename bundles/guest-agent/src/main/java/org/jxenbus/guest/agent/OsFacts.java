package org.jxenbus.guest.agent;

import java.util.Objects;

/**
 * The operating system as toolstacks read it from {@code data/os_*} (docs/guest-agent.md pins each to its
 * source): every value is published as given.
 *
 * @param distro the distribution's identifier, as os-release's {@code ID} ({@code debian}, {@code rhel})
 * @param majorVersion the distribution's major version ({@code unknown} when it cannot be told)
 * @param minorVersion the distribution's minor version ({@code unknown} when it cannot be told)
 * @param name a human-readable name, as os-release's {@code PRETTY_NAME}
 * @param uname the kernel release, as {@code uname -r} prints it
 */
public record OsFacts(String distro, String majorVersion, String minorVersion, String name, String uname) {

    /** Checks every component is present (an empty string is allowed). */
    public OsFacts {
        Objects.requireNonNull(distro, "distro");
        Objects.requireNonNull(majorVersion, "majorVersion");
        Objects.requireNonNull(minorVersion, "minorVersion");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uname, "uname");
    }
}
