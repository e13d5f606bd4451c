/**
 * The {@code xenstore} command over a store: {@code read write ls list rm exists chmod watch} with the output,
 * messages and exit codes of Debian's xenstore-utils 4.17 (docs/cli-compat.md), plus the jxenbus extensions
 * {@code --connect URI}, {@code mkdir} and {@code perms}. It uses only the xenstore API: the process opens the
 * store for it ({@link org.jxenbus.xenstore.cli.command.XenstoreCommand#overOpenedStore}), the Gogo shell lends
 * it the runtime's ({@link org.jxenbus.xenstore.cli.command.XenstoreCommand#overStore}), embedding this package
 * with bnd's {@code -conditionalpackage}. Not exported: one source, a private copy in each bundle that runs it.
 *
 * <p>Arguments and values are handled as bytes. Inside the command an argument is a {@code String} with one
 * char per byte (ISO-8859-1), so paths, values and messages keep the exact bytes typed, and everything is
 * written back with ISO-8859-1.
 */
package org.jxenbus.xenstore.cli.command;
