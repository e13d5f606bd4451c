package org.jxenbus.xenstore.cli.command;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreException;

/**
 * {@code ls [-f] [-p] [path...]}: every node below each path (default {@code /}), depth first in the
 * server's order, one line each: indented name (or, with {@code -f}, the whole path), the escaped value in
 * quotes, cut to the {@link ListingLayout}; {@code :} alone when the value cannot be read; with {@code -p}
 * the permissions after dots. Printed straight to stdout, outside any transaction.
 *
 * <p>A path that cannot be listed ends the command with {@code xs_directory (P): <error>} in the middle of
 * the output, except a node that vanished below the start (ENOENT), which is skipped. Permissions that
 * cannot be read give a warning naming the node's base name, and the line goes on without them.
 */
final class LsCommand implements Command {

    private final ListingLayout layout;
    private final boolean showPermissions;

    LsCommand(CommandOptions options, ListingLayout layout) {
        this.layout = layout;
        this.showPermissions = options.prefix;
    }

    @Override
    public int perform(Session session) {
        List<String> paths = session.operands().isEmpty() ? List.of("/") : session.operands();
        for (String path : paths) {
            list(session, path, 0);
        }
        return 0;
    }

    private void list(Session session, String path, int depth) {
        List<String> names;
        try {
            names = session.store().directory(path);
        } catch (XenstoreException e) {
            if (depth > 0 && "ENOENT".equals(e.errorName())) {
                return; // vanished while listing
            }
            throw session.diagnostics().err("xs_directory (" + path + ")", Strerror.of(e));
        }
        for (String name : names) {
            String child = path + (path.endsWith("/") ? "" : "/") + name;
            printNode(session, child, name, depth);
            list(session, child, depth + 1);
        }
    }

    private void printNode(Session session, String path, String name, int depth) {
        StringBuilder line = new StringBuilder();
        int column = 0;
        if (layout.wholePath()) {
            line.append(path);
        } else {
            line.append(" ".repeat(depth));
            column = depth;
            String shown = ListingLayout.clip(name, layout.room(column));
            line.append(shown);
            column += shown.length();
        }
        byte[] value = readOrNull(session, path);
        if (value == null) {
            line.append(":\n");
        } else {
            String escaped = new String(ValueEscapes.escape(value), StandardCharsets.ISO_8859_1);
            if (layout.truncates(column, value.length)) {
                line.append(" = \"").append(ListingLayout.clip(escaped, layout.room(column))).append("\\...\"");
            } else {
                String shown = " = \"" + escaped + "\"";
                line.append(shown);
                column += shown.length();
                if (showPermissions) {
                    line.append(' ');
                    for (column++; column < layout.dotsEnd(); column++) {
                        line.append((column & 1) != 0 ? '.' : ' ');
                    }
                }
            }
        }
        session.out().print(line.toString());
        if (showPermissions) {
            printPermissions(session, path, name);
        }
        session.out().print("\n");
    }

    private static void printPermissions(Session session, String path, String name) {
        Permissions permissions;
        try {
            permissions = session.store().getPermissions(path);
        } catch (XenstoreException e) {
            session.diagnostics().warn("\ncould not access permissions for " + name, Strerror.of(e));
            return;
        }
        session.out().print("  (" + PermissionText.of(permissions) + ")");
    }

    private static byte[] readOrNull(Session session, String path) {
        try {
            return session.store().readBytes(path);
        } catch (XenstoreException e) {
            return null;
        }
    }
}
