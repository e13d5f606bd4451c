package org.jxenbus.xenstore.cli.command;

/**
 * One mode's work over its operands: {@code perform} in xenstore_client.c. Run once, or again from scratch
 * when its transaction conflicts; everything it prints to the held output is then discarded.
 */
interface Command {

    /**
     * Does the work, reporting failures as the real tool does.
     *
     * @return 0 on success, 1 on a failure already reported (the transaction, if any, is then aborted)
     * @throws CommandExit when an {@code err}/{@code errx} ended the command
     */
    int perform(Session session);
}
