package org.jxenbus.xenstore.sim.internal.engine;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * CONTROL, the commands of xenstored 4.17 a simulator can honour: {@code check}, {@code log},
 * {@code logfile}, {@code memreport}, {@code print}, {@code quota} (show, set, per-domain use),
 * {@code quota-soft} and {@code help} answer as xenstored does; {@code live-update} answers as xenstored
 * does without a session, and refuses to start one. Engine thread only.
 */
final class ControlRequests {

    private static final Logger LOG = System.getLogger(ControlRequests.class.getName());

    /** One command ({@code struct cmd_s}); {@code maxPars} counts the command itself, 0: no limit. */
    private record Command(String name, String pars, int maxPars, Handler handler) {
    }

    @FunctionalInterface
    private interface Handler {
        void run(Connection conn, List<String> args) throws XsError;
    }

    private final Xenstored xs;
    private final List<Command> commands;

    ControlRequests(Xenstored xs) {
        this.xs = xs;
        this.commands = List.of(
                new Command("check", "", 0, this::check),
                new Command("log", "on|off", 0, this::log),
                new Command("live-update", "[-c <cmdline>] [-F] [-t <timeout>] <file>\n    Default timeout is 60 seconds.",
                        5, this::liveUpdate),
                new Command("logfile", "<file>", 0, this::logfile),
                new Command("memreport", "[<file>]", 0, this::memreport),
                new Command("print", "<string>", 0, this::print),
                new Command("quota", "[set <name> <val>|<domid>]", 0, this::quota),
                new Command("quota-soft", "[set <name> <val>]", 0, this::quotaSoft),
                new Command("help", "", 0, this::help));
    }

    void register(Dispatcher d) {
        d.handle(XsMessageType.XS_CONTROL, this::control);
    }

    private void control(Connection conn, XsMessage in) throws XsError {
        byte[] p = in.payload();
        if (CStrings.stringLength(p, 0) == 0) {
            throw new XsError(Errno.EINVAL);
        }
        String name = CStrings.stringAt(p, 0);
        Command cmd = commands.stream().filter(c -> c.name.equals(name)).findFirst()
                .orElseThrow(() -> new XsError(Errno.EINVAL));
        int num = CStrings.countNuls(p);
        if (cmd.maxPars != 0) {
            num = Math.min(num, cmd.maxPars);
        }
        CStrings.Strings s = CStrings.strings(p, num);
        if (s.count() < num) {
            throw new XsError(Errno.EIO);
        }
        cmd.handler.run(conn, Arrays.asList(s.first()).subList(1, num));
    }

    private void ok(Connection conn) {
        xs.output().ack(conn, XsMessageType.XS_CONTROL);
    }

    private void text(Connection conn, String text) {
        xs.output().reply(conn, XsMessageType.XS_CONTROL, CStrings.nulTerminated(text));
    }

    private void check(Connection conn, List<String> args) throws XsError {
        if (!args.isEmpty()) {
            throw new XsError(Errno.EINVAL);
        }
        ok(conn);
    }

    private void log(Connection conn, List<String> args) throws XsError {
        if (args.size() != 1 || !(args.get(0).equals("on") || args.get(0).equals("off"))) {
            throw new XsError(Errno.EINVAL);
        }
        ok(conn);
    }

    private void logfile(Connection conn, List<String> args) throws XsError {
        if (args.size() != 1) {
            throw new XsError(Errno.EINVAL);
        }
        ok(conn);
    }

    /** Without a trace file xenstored has nowhere to report (EBADF, sent as EINVAL); a named file is written. */
    private void memreport(Connection conn, List<String> args) throws XsError {
        if (args.size() != 1) {
            throw new XsError(Errno.EINVAL);
        }
        try {
            Files.writeString(Path.of(args.get(0)), "xenstored-sim: " + xs.db().size() + " node records\n",
                    StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            throw new XsError(Errno.EINVAL);
        }
        ok(conn);
    }

    private void print(Connection conn, List<String> args) throws XsError {
        if (args.size() != 1) {
            throw new XsError(Errno.EINVAL);
        }
        LOG.log(Level.DEBUG, "control: " + args.get(0));
        ok(conn);
    }

    private void liveUpdate(Connection conn, List<String> args) throws XsError {
        if (args.isEmpty()) {
            throw new XsError(Errno.EINVAL);
        }
        String op = args.get(0);
        switch (op) {
            case "-a" -> {
                if (args.size() != 1) {
                    throw new XsError(Errno.EINVAL);
                }
                text(conn, "No live-update session active.");
            }
            case "-c" -> {
                if (args.size() != 2) {
                    throw new XsError(Errno.EINVAL);
                }
                text(conn, "Not in live-update session.");
            }
            case "-s" -> {
                for (int i = 1; i < args.size(); i++) {
                    if (args.get(i).equals("-t") && i < args.size() - 1) {
                        i++;
                    } else if (!args.get(i).equals("-F")) {
                        throw new XsError(Errno.EINVAL);
                    }
                }
                text(conn, "Not in live-update session.");
            }
            default -> {
                if (args.size() != 2 || !op.equals("-f")) {
                    throw new XsError(Errno.EINVAL);
                }
                Path file = Path.of(args.get(1));
                if (!Files.exists(file)) {
                    text(conn, "File not accessible.");
                } else if (!Files.isExecutable(file)) {
                    text(conn, "File not executable.");
                } else {
                    text(conn, "Live update is not supported by the simulator.");
                }
            }
        }
    }

    private void help(Connection conn, List<String> args) throws XsError {
        if (!args.isEmpty()) {
            throw new XsError(Errno.EINVAL);
        }
        StringBuilder b = new StringBuilder();
        for (Command c : commands) {
            b.append(c.name).append('\t').append(c.pars).append('\n');
        }
        text(conn, b.toString());
    }

    /** A quota's name, its value's place and its description ({@code struct quota}). */
    private record Quota(String name, String description, java.util.function.ToIntFunction<Limits> get,
            java.util.function.ObjIntConsumer<Limits> set) {
    }

    private static final List<Quota> HARD = List.of(
            new Quota("nodes", "Nodes per domain", l -> l.nodes, (l, v) -> l.nodes = v),
            new Quota("watches", "Watches per domain", l -> l.watches, (l, v) -> l.watches = v),
            new Quota("transactions", "Transactions per domain", l -> l.transactions, (l, v) -> l.transactions = v),
            new Quota("outstanding", "Outstanding requests per domain", l -> l.outstanding,
                    (l, v) -> l.outstanding = v),
            new Quota("transaction-nodes", "Max. number of accessed nodes per transaction", l -> l.transactionNodes,
                    (l, v) -> l.transactionNodes = v),
            new Quota("memory", "Total Xenstore memory per domain (error level)", l -> l.memory,
                    (l, v) -> l.memory = v),
            new Quota("node-size", "Max. size of a node", l -> l.nodeSize, (l, v) -> l.nodeSize = v),
            new Quota("path-max", "Max. length of a node path", l -> l.pathMax, (l, v) -> l.pathMax = v),
            new Quota("permissions", "Max. number of permissions per node", l -> l.permissions,
                    (l, v) -> l.permissions = v));

    private static final List<Quota> SOFT = List.of(
            new Quota("memory", "Total Xenstore memory per domain (warning level)", l -> l.memorySoft,
                    (l, v) -> l.memorySoft = v));

    private void quota(Connection conn, List<String> args) throws XsError {
        if (args.isEmpty()) {
            show(conn, HARD);
        } else if (args.get(0).equals("set")) {
            set(conn, args.subList(1, args.size()), HARD);
        } else {
            if (args.size() != 1) {
                throw new XsError(Errno.EINVAL);
            }
            use(conn, CStrings.atoi(args.get(0)));
        }
    }

    private void quotaSoft(Connection conn, List<String> args) throws XsError {
        if (args.isEmpty()) {
            show(conn, SOFT);
        } else if (args.get(0).equals("set")) {
            set(conn, args.subList(1, args.size()), SOFT);
        } else {
            throw new XsError(Errno.EINVAL);
        }
    }

    private void show(Connection conn, List<Quota> quotas) {
        StringBuilder b = new StringBuilder("Quota settings:\n");
        for (Quota q : quotas) {
            b.append(String.format("%-17s: %8d %s%n", q.name, q.get.applyAsInt(xs.limits()), q.description)
                    .replace(System.lineSeparator(), "\n"));
        }
        text(conn, b.toString());
    }

    private void set(Connection conn, List<String> args, List<Quota> quotas) throws XsError {
        if (args.size() != 2) {
            throw new XsError(Errno.EINVAL);
        }
        int value = CStrings.atoi(args.get(1));
        if (value < 1) {
            throw new XsError(Errno.EINVAL);
        }
        for (Quota q : quotas) {
            if (q.name.equals(args.get(0))) {
                q.set.accept(xs.limits(), value);
                ok(conn);
                return;
            }
        }
        throw new XsError(Errno.EINVAL);
    }

    /** {@code domain_get_quota}: what a domain uses. */
    private void use(Connection conn, int domid) throws XsError {
        Domain d = xs.domains().find(domid);
        if (d == null) {
            throw new XsError(Errno.ENOENT);
        }
        int transactions = d.connection == null ? 0 : d.connection.transactionsStarted;
        String text = "Domain " + Integer.toUnsignedString(domid) + ":\n"
                + line("nodes", d.nodes) + line("watches", d.watches) + line("transactions", transactions)
                + line("outstanding", d.outstanding) + line("memory", d.memory);
        text(conn, text);
    }

    private static String line(String name, int value) {
        return String.format("%-16s: %8d", name, value) + "\n";
    }
}
