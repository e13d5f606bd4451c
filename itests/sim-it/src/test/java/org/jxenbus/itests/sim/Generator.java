package org.jxenbus.itests.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * Random requests over every message type, steered by the {@link Model} so that most of them meet real
 * state: paths from small trees shared by several domains (so permissions, ownership and quotas matter),
 * transactions open on several clients at once (so commits conflict), watches on overlapping subtrees and
 * on the special paths, and deliberate errors: invalid paths, missing nodes, foreign nodes, bad
 * arguments, unknown types, privileged requests from guests, quota breaches (the quotas are lowered first).
 *
 * <p>It never sends what the C xenstored answers with a stale errno or dies on (see {@link Normalisation}).
 */
final class Generator {

    private static final String[] NAMES = {"a", "b", "c", "k"};
    private static final String[] TOKENS = {"t1", "t2", "t3"};
    private static final int[] UNKNOWN_TYPES = {15, 16, 20, 23, 24, 25, 26, 27, 99, 0xffff};

    private final Random random;
    private final Model model;

    Generator(long seed, Model model) {
        this.random = new Random(seed);
        this.model = model;
    }

    /**
     * The fixed start of a sequence: the shared trees, guests' home folders and three guests introduced, then
     * lowered quotas so that generated requests reach them.
     */
    List<Op> prelude() {
        List<Op> ops = new ArrayList<>();
        ops.add(op("S1", XsMessageType.XS_MKDIR, 0, Op.strings("/t")));
        ops.add(op("S1", XsMessageType.XS_SET_PERMS, 0, Op.strings("/t", "b0")));
        ops.add(op("S1", XsMessageType.XS_WRITE, 0, Op.pathValue("/t/ro", bytes("read only"))));
        ops.add(op("S1", XsMessageType.XS_SET_PERMS, 0, Op.strings("/t/ro", "r0", "b2")));
        ops.add(op("S1", XsMessageType.XS_WRITE, 0, Op.pathValue("/t/priv/k", bytes("dom0 only"))));
        ops.add(op("S1", XsMessageType.XS_SET_PERMS, 0, Op.strings("/t/priv", "n0", "r1")));
        for (int g : Model.GUESTS) {
            String home = "/local/domain/" + g;
            ops.add(op("S1", XsMessageType.XS_MKDIR, 0, Op.strings(home)));
            ops.add(op("S1", XsMessageType.XS_SET_PERMS, 0, Op.strings(home, "n" + g, "r0")));
        }
        for (int g = 1; g <= 3; g++) {
            ops.add(op("S1", XsMessageType.XS_INTRODUCE, 0, Op.strings(Integer.toString(g), "0", Integer.toString(10 + g))));
        }
        ops.add(control("quota", "set", "nodes", Integer.toString(20 + random.nextInt(40))));
        ops.add(control("quota", "set", "watches", Integer.toString(2 + random.nextInt(6))));
        ops.add(control("quota", "set", "transactions", Integer.toString(1 + random.nextInt(4))));
        ops.add(control("quota", "set", "transaction-nodes", Integer.toString(8 + random.nextInt(40))));
        ops.add(control("quota", "set", "node-size", Integer.toString(150 + random.nextInt(400))));
        ops.add(control("quota", "set", "permissions", Integer.toString(2 + random.nextInt(4))));
        return ops;
    }

    /** The next request. */
    Op next() {
        List<String> clients = model.clients();
        String conn = pickClient(clients);
        int roll = random.nextInt(1000);
        if (roll < 120) {
            return read(conn, XsMessageType.XS_READ);
        } else if (roll < 180) {
            return read(conn, XsMessageType.XS_DIRECTORY);
        } else if (roll < 230) {
            return read(conn, XsMessageType.XS_GET_PERMS);
        } else if (roll < 270) {
            return directoryPart(conn);
        } else if (roll < 430) {
            return write(conn);
        } else if (roll < 480) {
            return op(conn, XsMessageType.XS_MKDIR, tx(conn), Op.strings(path(conn)));
        } else if (roll < 550) {
            return op(conn, XsMessageType.XS_RM, tx(conn), Op.strings(path(conn)));
        } else if (roll < 620) {
            return setPerms(conn);
        } else if (roll < 680) {
            return watch(conn);
        } else if (roll < 710) {
            return unwatch(conn);
        } else if (roll < 760) {
            return transactionStart(conn);
        } else if (roll < 810) {
            return transactionEnd(conn);
        } else if (roll < 830) {
            return domainQuery(conn);
        } else if (roll < 880) {
            return domainControl(conn);
        } else if (roll < 895) {
            return resetWatches(conn);
        } else if (roll < 930) {
            return control(conn);
        } else if (roll < 945) {
            return op(conn, UNKNOWN_TYPES[random.nextInt(UNKNOWN_TYPES.length)], 0, Op.strings(path(conn)));
        } else {
            return malformed(conn);
        }
    }

    private String pickClient(List<String> clients) {
        // guests more often: their permissions and quotas are where xenstored is subtle
        if (clients.size() > 3 && random.nextInt(10) < 6) {
            return clients.get(3 + random.nextInt(clients.size() - 3));
        }
        return clients.get(random.nextInt(clients.size()));
    }

    // ---- paths and values

    String path(String conn) {
        int r = random.nextInt(100);
        if (r < 30) {
            return "/t" + names(0);
        } else if (r < 55) {
            int d = random.nextInt(8) < 6 ? guestOrDom0(conn) : random.nextInt(6);
            return "/local/domain/" + d + names(0);
        } else if (r < 75) {
            return names(1).substring(1);
        } else if (r < 80) {
            return random.nextBoolean() ? "/" : "/local/domain";
        } else if (r < 84) {
            return "/t/ro" + names(0);
        } else if (r < 88) {
            return "/t/priv" + names(0);
        } else if (r < 92) {
            return "/tool/xenstored";
        } else {
            return invalidPath();
        }
    }

    private int guestOrDom0(String conn) {
        int d = new Op(conn, 0, 0, new byte[0]).domid();
        return d < 0 ? 0 : d;
    }

    private String names(int min) {
        int depth = min + random.nextInt(4 - min);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            b.append('/').append(NAMES[random.nextInt(NAMES.length)]);
        }
        return b.toString();
    }

    private String invalidPath() {
        return switch (random.nextInt(9)) {
            case 0 -> "";
            case 1 -> "/t//a";
            case 2 -> "/t/a/";
            case 3 -> "/t/a b";
            case 4 -> "/t/" + "x".repeat(40 + random.nextInt(2100));
            case 5 -> "/local/domain/1/" + "y".repeat(2040 + random.nextInt(20));
            case 6 -> "/t/\u00e9";
            case 7 -> "a/";
            default -> "/t/a.b";
        };
    }

    private byte[] value() {
        int r = random.nextInt(100);
        byte[] v;
        if (r < 10) {
            v = new byte[0];
        } else if (r < 80) {
            v = bytes("v" + random.nextInt(1000));
        } else if (r < 90) {
            v = new byte[1 + random.nextInt(20)];
            random.nextBytes(v);
        } else {
            v = new byte[100 + random.nextInt(2900)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (byte) ('a' + random.nextInt(26));
            }
        }
        return v;
    }

    // ---- transactions

    /** A transaction id for a request: mostly none, often an open one, sometimes one that is not. */
    private int tx(String conn) {
        List<Integer> open = model.transactionsOf(conn);
        int r = random.nextInt(100);
        if (r < 30 && !open.isEmpty()) {
            return open.get(random.nextInt(open.size()));
        }
        if (r < 33) {
            return random.nextBoolean() ? 77 : random.nextInt(4) + 1;
        }
        return 0;
    }

    private Op transactionStart(String conn) {
        int tx = random.nextInt(10) == 0 ? tx(conn) : 0;
        return op(conn, XsMessageType.XS_TRANSACTION_START, tx, Op.strings(""));
    }

    private Op transactionEnd(String conn) {
        List<Integer> open = model.transactionsOf(conn);
        int tx = !open.isEmpty() && random.nextInt(10) < 8 ? open.get(random.nextInt(open.size())) : tx(conn);
        int r = random.nextInt(100);
        String arg = r < 70 ? "T" : r < 95 ? "F" : random.nextBoolean() ? "X" : "";
        return op(conn, XsMessageType.XS_TRANSACTION_END, tx, Op.strings(arg));
    }

    // ---- nodes

    private Op read(String conn, XsMessageType type) {
        return op(conn, type, tx(conn), Op.strings(path(conn)));
    }

    private Op directoryPart(String conn) {
        int r = random.nextInt(10);
        String off = r < 5 ? "0" : r < 8 ? Integer.toString(random.nextInt(12)) : r < 9 ? "-1" : "99999";
        return op(conn, XsMessageType.XS_DIRECTORY_PART, tx(conn), Op.strings(path(conn), off));
    }

    private Op write(String conn) {
        return op(conn, XsMessageType.XS_WRITE, tx(conn), Op.pathValue(path(conn), value()));
    }

    private Op setPerms(String conn) {
        String path = path(conn);
        if (path.startsWith("@")) {
            path = "/t";
        }
        if (random.nextInt(25) == 0 && !conn.startsWith("G")) {
            path = random.nextBoolean() ? "@introduceDomain" : "@releaseDomain";
        }
        int n = 1 + random.nextInt(random.nextInt(8) == 0 ? 7 : 3);
        String[] parts = new String[n + 1];
        parts[0] = path;
        int self = new Op(conn, 0, 0, new byte[0]).domid();
        for (int i = 1; i <= n; i++) {
            parts[i] = perm(i == 1 && self > 0 && random.nextInt(3) > 0 ? self : domain());
        }
        return op(conn, XsMessageType.XS_SET_PERMS, tx(conn), Op.strings(parts));
    }

    private int domain() {
        int r = random.nextInt(100);
        if (r < 35) {
            return 0;
        } else if (r < 85) {
            return Model.GUESTS[random.nextInt(Model.GUESTS.length)];
        } else if (r < 93) {
            return Model.IDLE_DOMAIN;
        }
        return Model.NO_DOMAIN;
    }

    private String perm(int domid) {
        String letter = "rwbn".charAt(random.nextInt(4)) + "";
        int r = random.nextInt(60);
        return switch (r) {
            case 0 -> "x" + domid;
            case 1 -> letter;
            case 2 -> letter + "0x" + Integer.toHexString(domid);
            case 3 -> letter + "0" + domid;
            case 4 -> letter + domid + " ";
            case 5 -> letter + "-1";
            case 6 -> letter + " " + domid;
            default -> letter + domid;
        };
    }

    // ---- watches

    private Op watch(String conn) {
        String path = random.nextInt(8) == 0
                ? new String[] {"@introduceDomain", "@releaseDomain", "@other"}[random.nextInt(3)]
                : path(conn);
        String token = TOKENS[random.nextInt(TOKENS.length)];
        if (random.nextInt(30) == 0) {
            return op(conn, XsMessageType.XS_WATCH, 0, Op.strings(path, token, "1"));
        }
        return op(conn, XsMessageType.XS_WATCH, tx(conn), Op.strings(path, token));
    }

    private Op unwatch(String conn) {
        Set<String> set = model.watchesOf(conn);
        if (!set.isEmpty() && random.nextInt(4) > 0) {
            String key = new ArrayList<>(set).get(random.nextInt(set.size()));
            String[] pt = key.split("\0", -1);
            return op(conn, XsMessageType.XS_UNWATCH, 0, Op.strings(pt[0], pt[1]));
        }
        return op(conn, XsMessageType.XS_UNWATCH, 0, Op.strings(path(conn), TOKENS[random.nextInt(TOKENS.length)]));
    }

    private Op resetWatches(String conn) {
        // Never inside an open transaction: C xenstored 4.17 dies on an assertion then.
        int tx = random.nextInt(10) == 0 ? 77 : 0;
        return op(conn, XsMessageType.XS_RESET_WATCHES, tx, Op.strings(""));
    }

    // ---- domains

    private Op domainQuery(String conn) {
        String domid = switch (random.nextInt(8)) {
            case 0 -> "abc";
            case 1 -> "-1";
            case 2 -> "99999999999";
            case 3 -> Integer.toString(0x7ff0);
            default -> Integer.toString(random.nextInt(8));
        };
        XsMessageType t = random.nextBoolean() ? XsMessageType.XS_GET_DOMAIN_PATH : XsMessageType.XS_IS_DOMAIN_INTRODUCED;
        return op(conn, t, tx(conn), Op.strings(domid));
    }

    private Op domainControl(String conn) {
        int r = random.nextInt(100);
        int d = r < 80 ? Model.GUESTS[random.nextInt(Model.GUESTS.length)]
                : new int[] {0, Model.IDLE_DOMAIN, Model.NO_DOMAIN}[random.nextInt(3)];
        String domid = Integer.toString(d);
        int kind = random.nextInt(100);
        if (kind < 45 && d == 0 && conn.equals("D0")) {
            // INTRODUCE 0 on dom0's own ring zeroes the ring under the request's reply: no client survives it
            conn = "S1";
        }
        if (kind < 45) {
            String port = random.nextInt(15) == 0 ? "0" : Integer.toString(1 + random.nextInt(40));
            if (random.nextInt(20) == 0) {
                return op(conn, XsMessageType.XS_INTRODUCE, 0, Op.strings(domid, "0"));
            }
            return op(conn, XsMessageType.XS_INTRODUCE, 0, Op.strings(domid, "0", port));
        } else if (kind < 65) {
            if (model.isHeldTarget(d)) {
                // never free a domain another one targets (xenstored 4.17 then uses freed memory; Normalisation)
                return op(conn, XsMessageType.XS_RESUME, 0, Op.strings(domid));
            }
            return op(conn, XsMessageType.XS_RELEASE, 0, Op.strings(domid));
        } else if (kind < 80) {
            return op(conn, XsMessageType.XS_RESUME, 0, Op.strings(domid));
        }
        int target = random.nextInt(4) == 0 ? Model.NO_DOMAIN : Model.GUESTS[random.nextInt(Model.GUESTS.length)];
        return op(conn, XsMessageType.XS_SET_TARGET, 0, Op.strings(domid, Integer.toString(target)));
    }

    // ---- control

    private Op control(String conn) {
        int r = random.nextInt(100);
        String[] args;
        if (r < 30) {
            args = new String[] {"quota", Integer.toString(random.nextInt(7))};
        } else if (r < 40) {
            args = new String[] {"quota"};
        } else if (r < 55) {
            String[] names = {"nodes", "watches", "transactions", "transaction-nodes", "node-size", "permissions",
                "path-max", "bogus"};
            String name = names[random.nextInt(names.length)];
            int v = name.equals("path-max") ? 40 + random.nextInt(200) : random.nextInt(10) == 0 ? 0
                    : 1 + random.nextInt(60);
            args = new String[] {"quota", "set", name, Integer.toString(v)};
        } else if (r < 60) {
            args = new String[] {"quota-soft"};
        } else if (r < 65) {
            args = new String[] {"help"};
        } else if (r < 70) {
            args = new String[] {"check"};
        } else if (r < 75) {
            args = new String[] {"log", random.nextBoolean() ? "on" : "maybe"};
        } else if (r < 80) {
            args = new String[] {"print", "hello"};
        } else if (r < 85) {
            args = new String[] {"live-update", new String[] {"-a", "-s", "-c"}[random.nextInt(3)]};
        } else if (r < 90) {
            args = new String[] {"live-update", "-f", "/nonexistent/xenstored"};
        } else if (r < 95) {
            args = new String[] {"bogus"};
        } else {
            args = new String[] {"quota", "set", "nodes"};
        }
        return op(conn, XsMessageType.XS_CONTROL, tx(conn), Op.strings(args));
    }

    private Op control(String... args) {
        return op("S1", XsMessageType.XS_CONTROL, 0, Op.strings(args));
    }

    // ---- malformed requests xenstored answers deterministically

    private Op malformed(String conn) {
        return switch (random.nextInt(10)) {
            case 0 -> op(conn, XsMessageType.XS_WRITE, 0, bytes("/t/nonul"));
            case 1 -> op(conn, XsMessageType.XS_WATCH, 0, Op.strings("/t"));
            case 2 -> op(conn, XsMessageType.XS_UNWATCH, 0, Op.strings("/t", "t1", "x"));
            case 3 -> op(conn, XsMessageType.XS_SET_PERMS, tx(conn), Op.strings("/t"));
            case 4 -> op(conn, XsMessageType.XS_DIRECTORY_PART, 0, Op.strings("/t"));
            case 5 -> op(conn, XsMessageType.XS_GET_DOMAIN_PATH, 0, bytes("1"));
            case 6 -> op(conn, XsMessageType.XS_TRANSACTION_END, tx(conn), bytes("T"));
            case 7 -> op(conn, XsMessageType.XS_SET_TARGET, 0, Op.strings("1"));
            case 8 -> op(conn, XsMessageType.XS_CONTROL, 0, new byte[0]);
            default -> op(conn, XsMessageType.XS_IS_DOMAIN_INTRODUCED, 0, Op.strings("1", "2"));
        };
    }

    private static Op op(String conn, XsMessageType type, int tx, byte[] payload) {
        return op(conn, type.code(), tx, payload);
    }

    /** A request; a payload over XENSTORE_PAYLOAD_MAX (a long path and a long value) is cut to fit. */
    private static Op op(String conn, int type, int tx, byte[] payload) {
        return new Op(conn, type, tx, payload.length > 4096 ? java.util.Arrays.copyOf(payload, 4096) : payload);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
