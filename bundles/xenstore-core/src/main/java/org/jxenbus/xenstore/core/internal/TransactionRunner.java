package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jxenbus.xenstore.api.ConflictException;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.TransactionWork;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;

/**
 * Runs work in a transaction, rerunning it on EAGAIN with full-jitter exponential backoff (ocaml-xenstore's
 * {@code transaction}, bounded as the Qubes experience demands). A call from inside the work on the same
 * thread joins the running transaction instead of opening another one.
 */
final class TransactionRunner {

    private final ThreadLocal<Transaction> current = new ThreadLocal<>();
    private final Supplier<Transaction> begin;
    private final Supplier<ConnectionOptions> options;

    /** @param options the connection's options, read when a run starts (they may change while it is open) */
    TransactionRunner(Supplier<Transaction> begin, Supplier<ConnectionOptions> options) {
        this.begin = begin;
        this.options = options;
    }

    <T> T run(TransactionWork<T> work) {
        Transaction joined = current.get();
        if (joined != null) {
            return work.run(joined);
        }
        ConnectionOptions o = options.get();
        int attempts = o.transactionAttempts();
        ConflictException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                backoff(attempt, o.backoffInitial().toNanos(), o.backoffMax().toNanos());
            }
            try (Transaction tx = begin.get()) {
                T result;
                current.set(tx);
                try {
                    result = work.run(tx);
                } finally {
                    current.remove();
                }
                tx.commit();
                return result;
            } catch (ConflictException e) {
                last = e;
            }
        }
        throw new ConflictException("transaction conflicted (EAGAIN) in each of " + attempts + " attempts", "EAGAIN",
                last);
    }

    private static void backoff(int attempt, long backoffInitialNanos, long backoffMaxNanos) {
        long ceiling = backoffInitialNanos << Math.min(attempt - 2, 30);
        if (ceiling <= 0 || ceiling > backoffMaxNanos) {
            ceiling = backoffMaxNanos;
        }
        long nanos = ThreadLocalRandom.current().nextLong(ceiling + 1);
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenstoreInterruptedException("interrupted in the backoff before rerunning a transaction", e);
        }
    }
}
