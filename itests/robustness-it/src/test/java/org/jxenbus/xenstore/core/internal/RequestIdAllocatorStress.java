package org.jxenbus.xenstore.core.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * jcstress (run by run-jcstress.sh, not by the build): {@link RequestIdAllocator#restartAt}, the one part of
 * the allocator another thread touches, against the I/O thread's {@link RequestIdAllocator#allocate}. A
 * restart already pending (100) and a second one (200) racing with an allocation: the second must never be
 * lost, whatever the interleaving, or a test that meets an id still in use would silently not.
 * In this package because the allocator is package-private.
 */
@JCStressTest
@Outcome(id = "200, 201", expect = ACCEPTABLE, desc = "the second restart came before the allocation")
@Outcome(id = "100, 200", expect = ACCEPTABLE, desc = "the second restart came after the allocation")
@Outcome(id = "100, 101", expect = FORBIDDEN, desc = "the second restart was lost")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class RequestIdAllocatorStress {

    private final RequestIdAllocator allocator = new RequestIdAllocator(0);

    /** A restart is pending when the actors start. */
    public RequestIdAllocatorStress() {
        allocator.restartAt(100);
    }

    /** The connection's I/O thread. */
    @Actor
    public void ioThread(II_Result r) {
        r.r1 = allocator.allocate(id -> false);
    }

    /** A test thread. */
    @Actor
    public void testThread() {
        allocator.restartAt(200);
    }

    /** The I/O thread's next allocation. */
    @Arbiter
    public void next(II_Result r) {
        r.r2 = allocator.allocate(id -> false);
    }
}
