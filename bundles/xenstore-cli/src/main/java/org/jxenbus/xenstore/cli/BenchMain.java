package org.jxenbus.xenstore.cli;

import java.util.List;
import java.util.Locale;

import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.cli.bench.BenchSettings;
import org.jxenbus.xenstore.cli.bench.LoadResult;
import org.jxenbus.xenstore.cli.bench.LoadRun;
import org.jxenbus.xenstore.cli.bench.WatchRun;
import org.jxenbus.xenstore.client.Xenstore;

/**
 * Entry point of {@code xenstore-bench}: {@code xenstore-bench --connect URI --threads N --op
 * read|write|txn|watch --size BYTES --requests N --warmup N --max-in-flight M --watches W --fanout F --async K}. Opens
 * one connection with that in-flight window, runs the load on {@code /bench/jxenbus-<pid>} (removed after)
 * and prints {@code key=value} lines, the last one {@code req/s=<number>} (operations per second; a
 * transaction counts once). With {@code --op watch} a second connection with the default options holds the
 * watches ({@link WatchRun}) and the lines before the last add {@code events/s=<number>}. Exits 0, 1 when
 * the store failed, 2 on a malformed command line.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /**
     * Runs the benchmark and exits.
     *
     * @param args the options
     */
    public static void main(String[] args) throws InterruptedException {
        Main.silenceLibraryLogging();
        BenchSettings settings;
        try {
            settings = BenchSettings.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status = 0;
        ConnectionOptions options = ConnectionOptions.defaults().withMaxInFlight(settings.maxInFlight());
        try (XenstoreConnection store = Xenstore.open(settings.connect(), options)) {
            System.out.printf(Locale.ROOT, "connect=%s op=%s threads=%d size=%d requests=%d max-in-flight=%d%s%n",
                    store.describe(), settings.op().name().toLowerCase(Locale.ROOT), settings.threads(),
                    settings.size(), settings.requests(), store.statistics().maxInFlight(),
                    settings.async() > 0 ? " async=" + settings.async() : "");
            String base = "/bench/jxenbus-" + ProcessHandle.current().pid();
            if (settings.op() == BenchSettings.Op.WATCH) {
                try (XenstoreConnection watcher = Xenstore.open(settings.connect(), ConnectionOptions.defaults())) {
                    System.out.print(new WatchRun(watcher, store, settings, base).run());
                }
            } else {
                LoadResult result = new LoadRun(store, settings, base).run();
                System.out.print(result.report());
            }
        } catch (RuntimeException e) {
            System.err.println("xenstore-bench: " + e);
            status = 1;
        }
        System.exit(status);
    }
}
