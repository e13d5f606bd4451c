package org.jxenbus.xenstore.cli;

import java.io.OutputStream;
import java.util.List;
import java.util.OptionalInt;

import org.jxenbus.xenstore.api.XenstoreConnection;

/**
 * The whole command, in xenstore-utils' order: program name and mode, options, operand count (all before
 * connecting), then connect, then run the mode, in a transaction where the real tool uses one.
 *
 * <p>Blocks until the command is over (a watch without {@code -n}: forever). Not thread-safe: one per run.
 */
final class XenstoreCommand {

    private final StandardOutput out;
    private final OutputStream stderr;
    private final StoreOpener opener;
    private final OptionalInt terminalColumns;
    private final boolean posixlyCorrect;

    /**
     * @param out standard output
     * @param stderr standard error, unbuffered
     * @param opener opens the store
     * @param terminalColumns standard output's width, when it is a terminal
     * @param posixlyCorrect whether {@code POSIXLY_CORRECT} is set (options end at the first operand)
     */
    XenstoreCommand(StandardOutput out, OutputStream stderr, StoreOpener opener, OptionalInt terminalColumns,
            boolean posixlyCorrect) {
        this.out = out;
        this.stderr = stderr;
        this.opener = opener;
        this.terminalColumns = terminalColumns;
        this.posixlyCorrect = posixlyCorrect;
    }

    /**
     * Runs the command and flushes standard output, whatever happens.
     *
     * @param argv0 the program name as given
     * @param args the arguments, as byte strings (one char per byte)
     * @return the exit status: 0 or 1
     */
    int run(String argv0, List<String> args) {
        Diagnostics diagnostics = new Diagnostics(Invocation.shortName(argv0), stderr);
        try (out) {
            Invocation invocation = Invocation.parse(argv0, args, diagnostics);
            CommandLine line = CommandLine.parse(invocation, posixlyCorrect, diagnostics);
            Command command = commandFor(line);
            try (XenstoreConnection connection = opener.open(invocation.connectUri(), diagnostics)) {
                return new CommandRunner(connection, out, diagnostics).run(command,
                        line.mode().transactional(line.operands().size()), line.operands());
            }
        } catch (CommandExit e) {
            return e.status();
        }
    }

    private Command commandFor(CommandLine line) {
        CommandOptions options = line.options();
        return switch (line.mode()) {
            case READ -> new ReadCommand(options);
            case WRITE -> new WriteCommand(options);
            case RM -> new RemoveCommand(options);
            case EXISTS -> new ExistsCommand();
            case LIST -> new ListCommand(options);
            case LS -> new LsCommand(options, ListingLayout.of(options.flat, terminalColumns));
            case CHMOD -> new ChmodCommand(options);
            case WATCH -> new WatchCommand(options);
            case MKDIR -> new MkdirCommand();
            case PERMS -> new PermsCommand(options);
        };
    }
}
