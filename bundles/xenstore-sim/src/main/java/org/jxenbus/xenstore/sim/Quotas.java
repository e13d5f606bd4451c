package org.jxenbus.xenstore.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-domain quotas, as C xenstored 4.17 names and applies them: to unprivileged domains only (dom0 is
 * exempt). The defaults are xenstored's ({@link #XEN_4_17}); {@code CONTROL quota set} changes them at run
 * time as it does in xenstored. A value.
 *
 * @param nodes nodes a domain may own ({@code -E}, ENOSPC beyond)
 * @param watches watches per domain ({@code -W}; 4.17 answers E2BIG beyond, after one extra watch)
 * @param transactions open transactions per connection ({@code -t}, ENOSPC beyond, after one extra)
 * @param outstanding requests whose replies (and the watch events they caused) the domain has not yet read;
 *        beyond it xenstored stops reading the domain's requests ({@code -Q outstanding=})
 * @param transactionNodes nodes one transaction may touch ({@code -Q transaction-nodes=}, ENOSPC)
 * @param memory bytes of store, watches and queued output a domain may use ({@code -Q memory=}): beyond it
 *        writes fail and its requests are no longer read
 * @param memorySoft a warning level for {@code memory}; only logged
 * @param nodeSize largest node record in bytes, header, permissions, value and child names included
 *        ({@code -S}, ENOSPC)
 * @param pathMax longest path below {@code /local/domain/<id>/} ({@code -M}, EINVAL; at most 2048)
 * @param permissions entries in one permission list ({@code -A}, ENOSPC)
 * @param watchEventTimeout how long an unprivileged domain's watch event waits unsent before it is dropped
 *        ({@code -w watch-event=}; zero: forever)
 */
public record Quotas(int nodes, int watches, int transactions, int outstanding, int transactionNodes, int memory,
        int memorySoft, int nodeSize, int pathMax, int permissions, Duration watchEventTimeout) {

    /** C xenstored 4.17's defaults. */
    public static final Quotas XEN_4_17 = new Quotas(1000, 128, 10, 20, 1024, 2 * 1024 * 1024 + 512 * 1024,
            2 * 1024 * 1024, 2048, 2048, 5, Duration.ofSeconds(20));

    /** Checks the values: none negative. */
    public Quotas {
        Objects.requireNonNull(watchEventTimeout, "watchEventTimeout");
        if (nodes < 0 || watches < 0 || transactions < 0 || outstanding < 0 || transactionNodes < 0 || memory < 0
                || memorySoft < 0 || nodeSize < 0 || pathMax < 0 || permissions < 0 || watchEventTimeout.isNegative()) {
            throw new IllegalArgumentException("quotas cannot be negative: " + this);
        }
    }

    /** These quotas with another node count. */
    public Quotas withNodes(int n) {
        return new Quotas(n, watches, transactions, outstanding, transactionNodes, memory, memorySoft, nodeSize,
                pathMax, permissions, watchEventTimeout);
    }

    /** These quotas with another watch count. */
    public Quotas withWatches(int n) {
        return new Quotas(nodes, n, transactions, outstanding, transactionNodes, memory, memorySoft, nodeSize,
                pathMax, permissions, watchEventTimeout);
    }

    /** These quotas with another transaction count. */
    public Quotas withTransactions(int n) {
        return new Quotas(nodes, watches, n, outstanding, transactionNodes, memory, memorySoft, nodeSize, pathMax,
                permissions, watchEventTimeout);
    }

    /** These quotas with another outstanding-request count. */
    public Quotas withOutstanding(int n) {
        return new Quotas(nodes, watches, transactions, n, transactionNodes, memory, memorySoft, nodeSize, pathMax,
                permissions, watchEventTimeout);
    }

    /** These quotas with another limit of nodes per transaction. */
    public Quotas withTransactionNodes(int n) {
        return new Quotas(nodes, watches, transactions, outstanding, n, memory, memorySoft, nodeSize, pathMax,
                permissions, watchEventTimeout);
    }

    /** These quotas with another memory limit. */
    public Quotas withMemory(int bytes) {
        return new Quotas(nodes, watches, transactions, outstanding, transactionNodes, bytes, memorySoft, nodeSize,
                pathMax, permissions, watchEventTimeout);
    }

    /** These quotas with another node size. */
    public Quotas withNodeSize(int bytes) {
        return new Quotas(nodes, watches, transactions, outstanding, transactionNodes, memory, memorySoft, bytes,
                pathMax, permissions, watchEventTimeout);
    }

    /** These quotas with another path length limit. */
    public Quotas withPathMax(int chars) {
        return new Quotas(nodes, watches, transactions, outstanding, transactionNodes, memory, memorySoft, nodeSize,
                chars, permissions, watchEventTimeout);
    }

    /** These quotas with another number of permission entries. */
    public Quotas withPermissions(int n) {
        return new Quotas(nodes, watches, transactions, outstanding, transactionNodes, memory, memorySoft, nodeSize,
                pathMax, n, watchEventTimeout);
    }

    /** These quotas with another watch-event timeout. */
    public Quotas withWatchEventTimeout(Duration d) {
        return new Quotas(nodes, watches, transactions, outstanding, transactionNodes, memory, memorySoft, nodeSize,
                pathMax, permissions, d);
    }
}
