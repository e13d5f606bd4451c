package org.jxenbus.xenstore.cli.command;

import org.jxenbus.xenstore.api.XenstoreException;

/**
 * {@code read [-p] [-R] key...}: each value escaped on its own line, or raw with no newline; {@code -p}
 * puts {@code "key: "} first. The first key that cannot be read ends the command with
 * {@code couldn't read path K} (values read before it are still printed). Output is held.
 */
final class ReadCommand implements Command {

    private static final byte[] NEWLINE = {'\n'};

    private final boolean prefix;
    private final boolean raw;

    ReadCommand(CommandOptions options) {
        this.prefix = options.prefix;
        this.raw = options.raw;
    }

    @Override
    public int perform(Session session) {
        for (String key : session.operands()) {
            byte[] value;
            try {
                value = session.store().readBytes(key);
            } catch (XenstoreException e) {
                session.diagnostics().warnx("couldn't read path " + key);
                return 1;
            }
            if (prefix) {
                session.out().hold(key + ": ");
            }
            if (raw) {
                session.out().hold(value);
            } else {
                session.out().hold(ValueEscapes.escape(value));
                session.out().hold(NEWLINE);
            }
        }
        return 0;
    }
}
