package org.jxenbus.xenstore.cli.command;

import java.util.List;
import java.util.Optional;

import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreException;

/**
 * {@code chmod [-u] [-r] key perm...}: sets the key's permissions, then with {@code -u} every parent's
 * (up to, not including, {@code /}), then with {@code -r} every descendant's, depth first. Any failure to
 * set ends the command with {@code Error occurred setting permissions on 'P': <error>}; a relative path
 * that runs out of {@code /} under {@code -u} ends it with {@code Unable to locate path separator}. Errors
 * listing children under {@code -r} are ignored.
 */
final class ChmodCommand implements Command {

    /** xenstore_client.c builds child paths in a buffer of this size, cutting longer ones short. */
    static final int PATH_BUFFER = 256;

    private final boolean upto;
    private final boolean recurse;

    ChmodCommand(CommandOptions options) {
        this.upto = options.upto;
        this.recurse = options.recurse;
    }

    @Override
    public int perform(Session session) {
        List<String> operands = session.operands();
        Optional<Permissions> permissions = PermissionSpecs.parse(operands.subList(1, operands.size()),
                session.diagnostics());
        apply(session, operands.get(0), permissions, upto, recurse);
        return 0;
    }

    private void apply(Session session, String path, Optional<Permissions> permissions, boolean up, boolean down) {
        if (path.isEmpty()) {
            return;
        }
        set(session, path, permissions);
        if (up) {
            int slash = path.lastIndexOf('/');
            if (slash < 0) {
                throw session.diagnostics().errx("Unable to locate path separator '/' in '" + path + "'");
            }
            apply(session, path.substring(0, slash), permissions, true, false);
        }
        if (down) {
            List<String> children;
            try {
                children = session.store().directory(path);
            } catch (XenstoreException e) {
                return;
            }
            for (String child : children) {
                String childPath = path + "/" + child;
                apply(session, childPath.substring(0, Math.min(childPath.length(), PATH_BUFFER - 1)), permissions,
                        false, true);
            }
        }
    }

    private static void set(Session session, String path, Optional<Permissions> permissions) {
        String failure = "Error occurred setting permissions on '" + path + "'";
        if (permissions.isEmpty()) {
            throw session.diagnostics().err(failure, Strerror.INVALID_ARGUMENT);
        }
        try {
            session.store().setPermissions(path, permissions.get());
        } catch (XenstoreException e) {
            throw session.diagnostics().err(failure, Strerror.of(e));
        }
    }
}
