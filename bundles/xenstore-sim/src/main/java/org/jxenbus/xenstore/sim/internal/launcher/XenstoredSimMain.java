package org.jxenbus.xenstore.sim.internal.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.jxenbus.xenstore.sim.Endpoint;
import org.jxenbus.xenstore.sim.Profile;
import org.jxenbus.xenstore.sim.Quotas;
import org.jxenbus.xenstore.sim.SimulatorOptions;
import org.jxenbus.xenstore.sim.XenstoreSimulator;

/**
 * {@code xenstored-sim}: the simulator as a foreground daemon. Serves a unix socket ({@code --socket}),
 * a fake-hypervisor folder's rings ({@code --rings}) or a real dom0's ring ({@code --xen-dom0}), prints one line when ready, runs until SIGTERM or
 * SIGINT, then removes its socket. Quota options take xenstored's names.
 */
public final class XenstoredSimMain {

    private static final String USAGE = """
            Usage: xenstored-sim --socket PATH [options]
                   xenstored-sim --rings DIR [--dom0-ring] [options]
                   xenstored-sim --xen-dom0 [--socket PATH] [--grant-requests DIR] [options]

            A xenstored that answers as the C xenstored 4.17 does, in the foreground.
            Prints "xenstored-sim ready: ..." once serving; SIGTERM or SIGINT stops it.

              --socket PATH          serve xenstored's unix socket at PATH (created 0600)
              --rings DIR            take xenstored's place on fake-hypervisor folder DIR
                                     (shared/FAKE-HYPERVISOR.md): introduced domains are served on DIR/dom<N>.ring
              --dom0-ring            with --rings: serve dom0's ring too (DIR/dom0.ring, DIR/xsd_port)
              --xen-dom0             be a real Xen dom0's xenstore: serve /proc/xen/xsd_kva, kicked on
                                     /proc/xen/xsd_port (dom0's kernel xenbus and /dev/xen/xenbus users)
              --grant-requests DIR   serve the rings clients offer (ring:gntalloc?server=D): a client writes
                                     DIR/NAME.request = "DOMID GREF PORT"; answered NAME.served or NAME.failed
              --profile NAME         xen-4.17 (default: server_features 0) or modern
                                     (advertises reconnection, error field, watch depth)
              -E, --entry-nb N       nodes per domain (1000)
              -S, --entry-size N     largest node in bytes (2048)
              -W, --watch-nb N       watches per domain (128)
              -t, --transaction N    transactions per connection (10)
              -A, --perm-nb N        permissions per node (5)
              -M, --path-max N       longest path below /local/domain/<id>/ (2048)
              -Q, --quota WHAT=N     outstanding (20), transaction-nodes (1024), memory (2621440)
              -q, --quota-soft memory=N   warning level of memory (2097152)
              -w, --timeout watch-event=SECONDS   unsent event lifetime for guests (20)
              -H, --help             this text
            """;

    private XenstoredSimMain() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /**
     * Parses, starts and blocks until the JVM is asked to stop.
     *
     * @return an exit status when it ends without running (help, a bad option); -1 after running
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("xenstored-sim: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (o.help) {
            out.print(USAGE);
            return 0;
        }
        XenstoreSimulator sim = XenstoreSimulator.start(new SimulatorOptions("xenstored", o.profile, o.quotas));
        List<Endpoint> endpoints = new ArrayList<>();
        try {
            // rings first: once the socket answers, everything is served
            if (o.rings != null) {
                endpoints.add(sim.serveRings(o.rings, o.dom0Ring));
            }
            if (o.xenDom0) {
                endpoints.add(sim.serveDom0Ring());
            }
            if (o.grantRequests != null) {
                GrantRequests g = new GrantRequests(o.grantRequests, sim);
                endpoints.add(new Endpoint() {
                    @Override
                    public String describe() {
                        return g.describe();
                    }

                    @Override
                    public void close() {
                        g.close();
                    }
                });
            }
            if (o.socket != null) {
                endpoints.add(sim.serveSocket(o.socket));
            }
        } catch (IOException | RuntimeException e) {
            endpoints.forEach(Endpoint::close);
            sim.close();
            err.println("xenstored-sim: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            endpoints.forEach(Endpoint::close);
            sim.close();
            stopped.countDown();
        }, "xenstored-sim-shutdown"));
        StringBuilder ready = new StringBuilder("xenstored-sim ready: profile ").append(o.profile.id());
        for (Endpoint e : endpoints) {
            ready.append(", ").append(e.describe());
        }
        out.println(ready);
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** The command line. */
    static final class Options {
        private static final java.util.Set<String> KNOWN = java.util.Set.of("-H", "--help", "--dom0-ring", "--xen-dom0", "--grant-requests", "--socket",
                "--rings", "--profile", "-E", "--entry-nb", "-S", "--entry-size", "-W", "--watch-nb", "-t",
                "--transaction", "-A", "--perm-nb", "-M", "--path-max", "-Q", "--quota", "-q", "--quota-soft", "-w",
                "--timeout");
        Path socket;
        Path rings;
        boolean dom0Ring;
        boolean xenDom0;
        Path grantRequests;
        boolean help;
        Profile profile = Profile.XEN_4_17;
        Quotas quotas = Quotas.XEN_4_17;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String inline = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    inline = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                if (!KNOWN.contains(a)) {
                    throw new IllegalArgumentException("unknown option " + args[i]);
                }
                boolean takesValue = !(a.equals("-H") || a.equals("--help") || a.equals("--dom0-ring")
                        || a.equals("--xen-dom0"));
                if (!takesValue && inline != null) {
                    throw new IllegalArgumentException(a + " takes no value");
                }
                String v = null;
                if (takesValue) {
                    if (inline != null) {
                        v = inline;
                    } else if (i + 1 < args.length) {
                        v = args[++i];
                    } else {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                }
                switch (a) {
                    case "-H", "--help" -> o.help = true;
                    case "--dom0-ring" -> o.dom0Ring = true;
                    case "--xen-dom0" -> o.xenDom0 = true;
                    case "--grant-requests" -> o.grantRequests = Path.of(v);
                    case "--socket" -> o.socket = Path.of(v);
                    case "--rings" -> o.rings = Path.of(v);
                    case "--profile" -> o.profile = Profile.of(v);
                    case "-E", "--entry-nb" -> o.quotas = o.quotas.withNodes(parse(v, a));
                    case "-S", "--entry-size" -> o.quotas = o.quotas.withNodeSize(parse(v, a));
                    case "-W", "--watch-nb" -> o.quotas = o.quotas.withWatches(parse(v, a));
                    case "-t", "--transaction" -> o.quotas = o.quotas.withTransactions(parse(v, a));
                    case "-A", "--perm-nb" -> o.quotas = o.quotas.withPermissions(parse(v, a));
                    case "-M", "--path-max" -> o.quotas = o.quotas.withPathMax(Math.min(2048, parse(v, a)));
                    case "-Q", "--quota" -> o.quota(v, false);
                    case "-q", "--quota-soft" -> o.quota(v, true);
                    case "-w", "--timeout" -> o.timeout(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (!o.help && o.socket == null && o.rings == null && !o.xenDom0) {
                throw new IllegalArgumentException(
                        "nothing to serve: give --socket PATH, --rings DIR and/or --xen-dom0");
            }
            if (o.grantRequests != null && !o.xenDom0 && o.rings == null) {
                throw new IllegalArgumentException("--grant-requests needs rings served: --xen-dom0 or --rings DIR");
            }
            if (o.xenDom0 && o.rings != null) {
                throw new IllegalArgumentException("--xen-dom0 and --rings: one simulator serves one kind of ring");
            }
            if (o.dom0Ring && o.rings == null) {
                throw new IllegalArgumentException("--dom0-ring needs --rings DIR");
            }
            return o;
        }

        private void quota(String spec, boolean soft) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("quotas must be given as <what>=<nb>: " + spec);
            }
            String what = spec.substring(0, eq);
            int n = parse(spec.substring(eq + 1), spec);
            if (soft) {
                if (!what.equals("memory")) {
                    throw new IllegalArgumentException("unknown soft quota \"" + what + "\"");
                }
                quotas = new Quotas(quotas.nodes(), quotas.watches(), quotas.transactions(), quotas.outstanding(),
                        quotas.transactionNodes(), quotas.memory(), n, quotas.nodeSize(), quotas.pathMax(),
                        quotas.permissions(), quotas.watchEventTimeout());
                return;
            }
            quotas = switch (what) {
                case "outstanding" -> quotas.withOutstanding(n);
                case "transaction-nodes" -> quotas.withTransactionNodes(n);
                case "memory" -> quotas.withMemory(n);
                default -> throw new IllegalArgumentException("unknown quota \"" + what + "\"");
            };
        }

        private void timeout(String spec) {
            int eq = spec.indexOf('=');
            if (eq < 0 || !spec.substring(0, eq).equals("watch-event")) {
                throw new IllegalArgumentException("unknown timeout \"" + spec + "\" (watch-event=<seconds>)");
            }
            quotas = quotas.withWatchEventTimeout(Duration.ofSeconds(parse(spec.substring(eq + 1), spec)));
        }

        private static int parse(String v, String context) {
            try {
                int n = Integer.parseInt(v);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid number in " + context);
            }
        }
    }
}
