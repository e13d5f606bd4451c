package org.jxenbus.xenstore.cli.command;

import org.jxenbus.xenstore.api.XenstoreException;

/**
 * {@code exists key...}: status 0 if every key can be read, else 1, printing nothing. It reads rather than
 * asks, so a node this connection may not read counts as missing, as in the real tool.
 */
final class ExistsCommand implements Command {

    @Override
    public int perform(Session session) {
        for (String key : session.operands()) {
            try {
                session.store().readBytes(key);
            } catch (XenstoreException e) {
                return 1;
            }
        }
        return 0;
    }
}
