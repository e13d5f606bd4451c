/**
 * The {@code xenstore-bench} load generator: {@link org.jxenbus.xenstore.cli.bench.BenchSettings} reads the
 * command line, {@link org.jxenbus.xenstore.cli.bench.LoadRun} drives one shared connection from N threads
 * through the xenstore API only, {@link org.jxenbus.xenstore.cli.bench.LoadResult} summarises what it
 * measured. The process entry is {@link org.jxenbus.xenstore.cli.BenchMain}. Internal: nothing is exported.
 */
package org.jxenbus.xenstore.cli.bench;
