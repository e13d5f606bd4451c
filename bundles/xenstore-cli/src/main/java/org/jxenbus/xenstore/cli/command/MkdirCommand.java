package org.jxenbus.xenstore.cli.command;

import org.jxenbus.xenstore.api.XenstoreException;

/**
 * {@code mkdir key...}, a jxenbus extension: creates each node and its missing parents with empty values;
 * an existing node keeps its value. The first failure ends the command with {@code could not mkdir path K}
 * and undoes the earlier ones (one transaction).
 */
final class MkdirCommand implements Command {

    @Override
    public int perform(Session session) {
        for (String key : session.operands()) {
            try {
                session.store().mkdir(key);
            } catch (XenstoreException e) {
                session.diagnostics().warnx("could not mkdir path " + key);
                return 1;
            }
        }
        return 0;
    }
}
