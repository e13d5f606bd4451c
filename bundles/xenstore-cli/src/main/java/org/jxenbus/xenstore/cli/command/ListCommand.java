package org.jxenbus.xenstore.cli.command;

import java.util.List;

import org.jxenbus.xenstore.api.XenstoreException;

/**
 * {@code list [-p] key...}: the children's names, one a line, in the server's order; {@code -p} puts
 * {@code "key/"} first (so {@code //local} for {@code /}, as in 4.17). The first failure ends the command with
 * {@code could not list path K}; earlier output is still printed. Output is held.
 */
final class ListCommand implements Command {

    private final boolean prefix;

    ListCommand(CommandOptions options) {
        this.prefix = options.prefix;
    }

    @Override
    public int perform(Session session) {
        for (String key : session.operands()) {
            List<String> names;
            try {
                names = session.store().directory(key);
            } catch (XenstoreException e) {
                session.diagnostics().warnx("could not list path " + key);
                return 1;
            }
            for (String name : names) {
                session.out().hold((prefix ? key + "/" : "") + name + "\n");
            }
        }
        return 0;
    }
}
