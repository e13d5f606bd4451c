package org.jxenbus.xenstore.cli.command;

import java.util.List;

import org.jxenbus.xenstore.api.XenstoreOperations;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * What a {@link Command} works with in one attempt.
 *
 * @param store where the verbs go: the attempt's transaction, or the connection for modes without one
 * @param connection the store itself, for watches
 * @param operands the operands, in order
 * @param out standard output
 * @param diagnostics standard error
 */
record Session(XenstoreOperations store, XenstoreService connection, List<String> operands, StandardOutput out,
        Diagnostics diagnostics) {
}
