package org.jxenbus.xenstore.cli.command;

import org.jxenbus.xenstore.api.XenstoreException;

/**
 * {@code rm [-t] key...}: removes each node with its subtree. With {@code -t} it then climbs: while the
 * parent has an empty value and no children it is removed too ({@code /} never is: its name is empty). The
 * first failure ends the command with {@code could not remove path P}, P being the path that failed.
 */
final class RemoveCommand implements Command {

    private final boolean tidy;

    RemoveCommand(CommandOptions options) {
        this.tidy = options.tidy;
    }

    @Override
    public int perform(Session session) {
        for (String key : session.operands()) {
            if (!(tidy ? removeTidily(session, key) : remove(session, key))) {
                return 1;
            }
        }
        return 0;
    }

    private static boolean removeTidily(Session session, String key) {
        String path = key;
        while (remove(session, path)) {
            int slash = path.lastIndexOf('/');
            if (slash < 0) {
                return true;
            }
            path = path.substring(0, slash);
            if (!emptyAndChildless(session, path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean remove(Session session, String path) {
        try {
            session.store().rm(path);
            return true;
        } catch (XenstoreException e) {
            session.diagnostics().warnx("could not remove path " + path);
            return false;
        }
    }

    /** Whether {@code path} reads as an empty value and lists no children; any error means no. */
    private static boolean emptyAndChildless(Session session, String path) {
        try {
            return session.store().readBytes(path).length == 0 && session.store().directory(path).isEmpty();
        } catch (XenstoreException e) {
            return false;
        }
    }
}
