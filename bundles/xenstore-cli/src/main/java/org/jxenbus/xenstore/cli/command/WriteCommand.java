package org.jxenbus.xenstore.cli.command;

import java.nio.charset.StandardCharsets;

import org.jxenbus.xenstore.api.XenstoreException;

/**
 * {@code write [-R] key value...}: each pair in order, the value unescaped unless {@code -R}. The first
 * failure ends the command with {@code could not write path K}; in a transaction (several pairs) the
 * earlier writes are then undone. Prints nothing else.
 */
final class WriteCommand implements Command {

    private final boolean raw;

    WriteCommand(CommandOptions options) {
        this.raw = options.raw;
    }

    @Override
    public int perform(Session session) {
        var operands = session.operands();
        for (int i = 0; i + 1 < operands.size(); i += 2) {
            String key = operands.get(i);
            byte[] typed = operands.get(i + 1).getBytes(StandardCharsets.ISO_8859_1);
            try {
                session.store().write(key, raw ? typed : ValueEscapes.unescape(typed));
            } catch (XenstoreException e) {
                session.diagnostics().warnx("could not write path " + key);
                return 1;
            }
        }
        return 0;
    }
}
