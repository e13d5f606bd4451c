package org.jxenbus.xenstore.cli.command;

import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreException;

/**
 * {@code perms [-p] key...}, a jxenbus extension: each node's own permissions in ls's syntax
 * ({@code n0,r5}), one line per key; {@code -p} puts {@code "key: "} first. The first failure ends the
 * command with {@code could not get permissions of path K}; earlier output is still printed. Output is held.
 */
final class PermsCommand implements Command {

    private final boolean prefix;

    PermsCommand(CommandOptions options) {
        this.prefix = options.prefix;
    }

    @Override
    public int perform(Session session) {
        for (String key : session.operands()) {
            Permissions permissions;
            try {
                permissions = session.store().getPermissions(key);
            } catch (XenstoreException e) {
                session.diagnostics().warnx("could not get permissions of path " + key);
                return 1;
            }
            session.out().hold((prefix ? key + ": " : "") + PermissionText.of(permissions) + "\n");
        }
        return 0;
    }
}
