package org.jxenbus.xenstore.cli.command;

import java.util.List;

import org.jxenbus.xenstore.api.ConflictException;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * Runs a {@link Command} as xenstore-utils' {@code main} does: in a transaction when the mode wants one,
 * committed if the command succeeded and aborted if it failed; a commit that conflicts (EAGAIN) reruns the
 * whole command in a new transaction, as often as it takes, printing only the last attempt's output. The
 * held output is written once the command is over.
 *
 * <p>Blocks for the command's requests. Not thread-safe: one per command.
 */
final class CommandRunner {

    private final XenstoreService connection;
    private final StandardOutput out;
    private final Diagnostics diagnostics;

    CommandRunner(XenstoreService connection, StandardOutput out, Diagnostics diagnostics) {
        this.connection = connection;
        this.out = out;
        this.diagnostics = diagnostics;
    }

    /**
     * @return the command's status, 0 or 1
     * @throws CommandExit when the command or the transaction's start or end failed fatally
     */
    int run(Command command, boolean transactional, List<String> operands) {
        if (!transactional) {
            int status = command.perform(new Session(connection, connection, operands, out, diagnostics));
            out.releaseHeld();
            return status;
        }
        while (true) {
            Transaction tx = begin();
            int status = command.perform(new Session(tx, connection, operands, out, diagnostics));
            if (end(tx, status)) {
                out.releaseHeld();
                return status;
            }
            out.discardHeld();
        }
    }

    private Transaction begin() {
        try {
            return connection.beginTransaction();
        } catch (XenstoreException e) {
            throw diagnostics.errx("couldn't start transaction");
        }
    }

    /** Commits (status 0) or aborts; false when a commit conflicted and the command must run again. */
    private boolean end(Transaction tx, int status) {
        try {
            if (status == 0) {
                tx.commit();
            } else {
                tx.abort();
            }
            return true;
        } catch (ConflictException e) {
            if (status == 0) {
                return false;
            }
            throw diagnostics.errx("couldn't end transaction");
        } catch (XenstoreException e) {
            throw diagnostics.errx("couldn't end transaction");
        }
    }
}
