package org.jxenbus.xenstore.cli.command;

import java.util.StringJoiner;

import org.jxenbus.xenstore.api.Permission;
import org.jxenbus.xenstore.api.Permissions;

/** Permissions as xenstore-ls shows them: entries ({@code xs_perm_to_string}) joined by commas. Stateless. */
final class PermissionText {

    private PermissionText() {
    }

    /** E.g. {@code n0,r5}. */
    static String of(Permissions permissions) {
        StringJoiner text = new StringJoiner(",");
        for (Permission p : permissions.entries()) {
            text.add(p.access().letter() + Integer.toString(p.domid()));
        }
        return text.toString();
    }
}
