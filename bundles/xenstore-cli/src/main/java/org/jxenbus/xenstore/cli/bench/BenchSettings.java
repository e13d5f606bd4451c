package org.jxenbus.xenstore.cli.bench;

import java.util.List;
import java.util.Locale;

/**
 * What one {@code xenstore-bench} run does. Immutable.
 *
 * @param connect the store's URI, as {@code xenstore --connect} takes it
 * @param threads callers sharing the one connection
 * @param op what each operation is
 * @param size value bytes each read returns or each write sends
 * @param requests measured operations over all threads
 * @param warmup operations over all threads run before measuring (JIT and server caches), not counted
 * @param maxInFlight the connection's in-flight window; 0 is the transport's default
 * @param watches with {@link Op#WATCH}: raw watches set on a second connection, {@code fanout} of them on the
 *        written nodes and the rest on paths nothing writes
 * @param fanout with {@link Op#WATCH}: watches on the written nodes, so events per write
 * @param async 0: each thread makes blocking calls, one at a time; K &gt; 0: each thread keeps K operations
 *        outstanding through the asynchronous API, as the C pipelining client keeps K requests in flight (reads
 *        and writes only)
 */
public record BenchSettings(String connect, int threads, Op op, int size, int requests, int warmup,
        int maxInFlight, int watches, int fanout, int async) {

    /** The usage line, printed on a malformed command line. */
    public static final String USAGE = "usage: xenstore-bench [--connect URI] [--threads N]"
            + " [--op read|write|txn|watch] [--size BYTES] [--requests N] [--warmup N] [--max-in-flight M]"
            + " [--watches W] [--fanout F] [--async K]";

    /**
     * One operation as the caller sees it. A transaction is one operation of four requests (start, read,
     * write, commit), rerun by the library on EAGAIN. A watch operation is a write whose events a second
     * connection's raw watches receive ({@link WatchRun}).
     */
    public enum Op {
        READ, WRITE, TXN, WATCH
    }

    /** Checks every value. */
    public BenchSettings {
        if (threads < 1 || requests < 1 || warmup < 0 || maxInFlight < 0 || size < 0 || size > 4000
                || fanout < 1 || watches < fanout || async < 0) {
            throw new IllegalArgumentException(USAGE);
        }
        if (async > 0 && op != Op.READ && op != Op.WRITE) {
            throw new IllegalArgumentException("--async works with --op read or write only\n" + USAGE);
        }
    }

    /**
     * Reads {@code --name value} pairs; omitted ones take their defaults ({@code unix:}, 1 thread, read, 16
     * bytes, 10,000 requests, a fifth of them as warm-up, the transport's window, 10 watches, 1 of them on the
     * written nodes, blocking calls).
     *
     * @throws IllegalArgumentException with {@link #USAGE} or the offending option in its message
     */
    public static BenchSettings parse(List<String> args) {
        String connect = "unix:";
        int threads = 1;
        Op op = Op.READ;
        int size = 16;
        int requests = 10_000;
        Integer warmup = null;
        int maxInFlight = 0;
        int watches = 10;
        int fanout = 1;
        int async = 0;
        for (int i = 0; i < args.size(); i += 2) {
            String name = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
            }
            String value = args.get(i + 1);
            switch (name) {
                case "--connect" -> connect = value;
                case "--threads" -> threads = number(name, value);
                case "--op" -> op = op(value);
                case "--size" -> size = number(name, value);
                case "--requests" -> requests = number(name, value);
                case "--warmup" -> warmup = number(name, value);
                case "--max-in-flight" -> maxInFlight = number(name, value);
                case "--watches" -> watches = number(name, value);
                case "--fanout" -> fanout = number(name, value);
                case "--async" -> async = number(name, value);
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        return new BenchSettings(connect, threads, op, size, requests, warmup == null ? requests / 5 : warmup,
                maxInFlight, watches, fanout, async);
    }

    private static Op op(String value) {
        try {
            return Op.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--op must be read, write, txn or watch: " + value + "\n" + USAGE, e);
        }
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number: " + value + "\n" + USAGE, e);
        }
    }
}
