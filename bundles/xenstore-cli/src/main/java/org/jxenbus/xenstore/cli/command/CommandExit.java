package org.jxenbus.xenstore.cli.command;

/**
 * Ends the command with an exit status, as C's {@code exit()} inside {@code err()}/{@code errx()} does: the
 * message is already written when this is thrown. Carries no stack trace.
 */
final class CommandExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    CommandExit(int status) {
        super("exit " + status, null, false, false);
        this.status = status;
    }

    /** The process's exit status. */
    int status() {
        return status;
    }
}
