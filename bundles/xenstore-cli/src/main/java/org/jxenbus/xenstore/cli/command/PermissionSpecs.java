package org.jxenbus.xenstore.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jxenbus.xenstore.api.Access;
import org.jxenbus.xenstore.api.Permission;
import org.jxenbus.xenstore.api.Permissions;

/**
 * chmod's permission arguments as xenstore-utils reads them: the first byte is the letter ({@code n r w b}),
 * the rest goes through {@code atoi}, so {@code rfoo} means {@code r0} and {@code r-1} means -1.
 */
final class PermissionSpecs {

    private PermissionSpecs() {
    }

    /**
     * Reads every argument.
     *
     * @return the permissions to send; empty when there are none, or when a domain id is outside 0..65535
     *         (the real tool sends those; this client cannot), both of which the caller reports as EINVAL
     * @throws CommandExit after {@code Invalid permission specification: 'c'} for any other letter
     */
    static Optional<Permissions> parse(List<String> specs, Diagnostics diagnostics) {
        List<Permission> entries = new ArrayList<>();
        boolean representable = true;
        for (String spec : specs) {
            char letter = spec.isEmpty() ? '\0' : spec.charAt(0);
            if ("nrwb".indexOf(letter) < 0) {
                throw diagnostics.errx("Invalid permission specification: '" + letter + "'");
            }
            int domid = CNumbers.atoi(spec.substring(Math.min(1, spec.length())));
            if (domid < 0 || domid > 0xFFFF) {
                representable = false;
            } else {
                entries.add(new Permission(domid, Access.ofLetter(letter)));
            }
        }
        return representable && !entries.isEmpty() ? Optional.of(new Permissions(entries)) : Optional.empty();
    }
}
