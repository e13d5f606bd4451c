package org.jxenbus.xenstore.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.apache.felix.service.command.Job;
import org.junit.jupiter.api.Test;
import org.jxenbus.xenstore.api.ConnectionStatistics;

/**
 * {@code xs:watch} without {@code -n} prints each event as it comes until the command is interrupted (Gogo's
 * Ctrl-C interrupts the job) or its session closes; then it ends without a message and its server watch is
 * gone, so the shared connection gets no more events for it.
 */
class WatchLifecycleIT extends ShellTestBase {

    @Test
    void watchPrintsEventsUntilItsJobIsInterrupted() throws Exception {
        watchThenStop("/interrupted", session -> {
            Job job = session.foregroundJob(); // as Gogo's shell does on Ctrl-C
            job.interrupt();
        });
    }

    @Test
    void watchEndsWhenItsSessionCloses() throws Exception {
        watchThenStop("/closed", CommandSessionImpl::close);
    }

    private static void watchThenStop(String path, Consumer<CommandSessionImpl> stop) throws Exception {
        xs.write(path, "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandSessionImpl session = shell.session(out, err);
        CompletableFuture<Object> watching = CompletableFuture.supplyAsync(() -> {
            try {
                return session.execute("xs:watch " + path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitOutput(out, path + "\n");
        xs.write(path + "/a", "1");
        awaitOutput(out, path + "\n" + path + "/a\n");

        String commandThread = "pipe-xs:watch " + path;
        assertTrue(running(commandThread), commandThread + " runs the command");
        stop.accept(session);
        // Gogo reports an interrupted job as an InterruptedException without waiting for its pipe threads:
        // the command's end is its pipe thread's.
        Throwable reported = watching.handle((result, failure) -> failure).get(10, TimeUnit.SECONDS);
        if (reported != null) {
            assertInstanceOf(InterruptedException.class, reported.getCause().getCause(), reported::toString);
        }
        awaitThreadGone(commandThread);
        session.close();
        assertEquals(path + "\n" + path + "/a\n", out.toString(StandardCharsets.ISO_8859_1));
        assertEquals("", err.toString(StandardCharsets.ISO_8859_1));

        ConnectionStatistics before = xs.statistics();
        xs.write(path + "/b", "2");
        xs.read(path + "/b"); // any event for the write arrives before this reply
        ConnectionStatistics after = xs.statistics();
        assertEquals(before.watchEvents(), after.watchEvents(), "no listener got an event");
        assertEquals(before.unknownWatchEvents(), after.unknownWatchEvents(), "the server watch was removed");
    }

    /** Waits until no thread has the name {@code name}: Gogo names a pipe's thread after its statement. */
    private static void awaitThreadGone(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running(name)) {
            assertTrue(System.nanoTime() < deadline, () -> name + " still runs");
            Thread.sleep(10);
        }
    }

    private static boolean running(String threadName) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(threadName));
    }

    private static void awaitOutput(ByteArrayOutputStream out, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!out.toString(StandardCharsets.ISO_8859_1).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, out.toString(StandardCharsets.ISO_8859_1));
    }
}
