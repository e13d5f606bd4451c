package org.jxenbus.xenstore.cli.command;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * The whole command, in xenstore-utils' order: program name and mode, options, operand count (all before
 * touching the store), then the store, then the mode, in a transaction where the real tool uses one.
 *
 * <p>Blocks until the command is over (a watch without {@code -n}: until its thread is interrupted). Not
 * thread-safe: one per run.
 */
public final class XenstoreCommand {

    private final StandardOutput out;
    private final OutputStream stderr;
    private final StoreAccess store;
    private final OptionalInt terminalColumns;
    private final boolean posixlyCorrect;

    private XenstoreCommand(StandardOutput out, OutputStream stderr, StoreAccess store, OptionalInt terminalColumns,
            boolean posixlyCorrect) {
        this.out = out;
        this.stderr = stderr;
        this.store = store;
        this.terminalColumns = terminalColumns;
        this.posixlyCorrect = posixlyCorrect;
    }

    /**
     * The process's command: opens {@code --connect}'s store (or {@code unix:}) for the run, closes it after.
     *
     * @param stdout standard output, unbuffered (buffered here as C's stdio buffers a pipe)
     * @param stderr standard error, unbuffered
     * @param environment the process environment, for libxenstore's variables
     * @param facade opens a store URI: {@code Xenstore::open}
     * @param terminalColumns standard output's width, when it is a terminal
     * @param posixlyCorrect whether {@code POSIXLY_CORRECT} is set (options end at the first operand)
     */
    public static XenstoreCommand overOpenedStore(OutputStream stdout, OutputStream stderr,
            Map<String, String> environment, Function<String, XenstoreConnection> facade,
            OptionalInt terminalColumns, boolean posixlyCorrect) {
        return new XenstoreCommand(new StandardOutput(stdout), stderr, new StoreOpener(environment, facade),
                terminalColumns, posixlyCorrect);
    }

    /**
     * A runtime's command over a store it keeps open (the Gogo shell): the store is never closed here,
     * {@code --connect} is refused, {@code ls} lays out as for a pipe and options may follow operands.
     *
     * @param store the runtime's store
     * @param stdout standard output, unbuffered
     * @param stderr standard error, unbuffered
     */
    public static XenstoreCommand overStore(XenstoreService store, OutputStream stdout, OutputStream stderr) {
        return new XenstoreCommand(new StandardOutput(stdout), stderr, new LentStore(store), OptionalInt.empty(),
                false);
    }

    /**
     * Runs the command and flushes standard output, whatever happens.
     *
     * @param argv0 the program name as given, e.g. {@code xenstore-read} (which chooses the mode) or
     *        {@code xenstore} (the first argument does)
     * @param args the arguments, as byte strings (one char per byte)
     * @return the exit status: 0 or 1
     */
    public int run(String argv0, List<String> args) {
        Diagnostics diagnostics = new Diagnostics(Invocation.shortName(argv0), stderr);
        try (out) {
            Invocation invocation = Invocation.parse(argv0, args, diagnostics);
            CommandLine line = CommandLine.parse(invocation, posixlyCorrect, diagnostics);
            Command command = commandFor(line);
            return store.withStore(invocation.connectUri(), diagnostics,
                    service -> new CommandRunner(service, out, diagnostics).run(command,
                            line.mode().transactional(line.operands().size()), line.operands()));
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
