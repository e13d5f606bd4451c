/**
 * The {@code xenstore} process: {@link org.jxenbus.xenstore.cli.Main} reads the arguments as the bytes the
 * shell passed and runs {@link org.jxenbus.xenstore.cli.command.XenstoreCommand} over a store opened with the
 * plain-Java facade. Internal to its module: nothing is exported.
 */
package org.jxenbus.xenstore.cli;
