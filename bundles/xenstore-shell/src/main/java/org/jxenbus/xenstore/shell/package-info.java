/**
 * The {@code xs:*} Gogo commands. {@link org.jxenbus.xenstore.shell.StoreCommands} runs the {@code xenstore}
 * command's verbs (a private copy of {@code org.jxenbus.xenstore.cli.command}, embedded by bnd) over the
 * runtime's {@code XenstoreService}, so each prints exactly what the xenstore-utils tool of the same name
 * prints; {@link org.jxenbus.xenstore.shell.StatCommand} shows {@code XenstoreStatus}. Internal: this bundle
 * exports nothing and is the only one that needs Gogo, so a headless agent runs without it.
 */
package org.jxenbus.xenstore.shell;
