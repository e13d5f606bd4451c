package org.jxenbus.xenstore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResizableLimitTest {

    @Test
    void shrinkingBelowWhatIsHeldLetsHoldersKeepThemAndNoOneElseInUntilUnderTheNewSize() {
        ResizableLimit limit = new ResizableLimit(3, true);
        assertTrue(limit.tryAcquire(3));
        limit.resize(1);
        assertEquals(1, limit.size());
        limit.release(2);
        assertFalse(limit.tryAcquire(), "one is still held, and the limit is one");
        limit.release();
        assertTrue(limit.tryAcquire(), "all returned: one may be taken");
        assertFalse(limit.tryAcquire(), "and only one");
    }

    @Test
    void growingFreesTheDifferenceAtOnce() {
        ResizableLimit limit = new ResizableLimit(1, false);
        assertTrue(limit.tryAcquire());
        limit.resize(4);
        assertEquals(3, limit.availablePermits(), "three more while the first is held");
        limit.release();
        assertEquals(4, limit.availablePermits());
    }

    @Test
    void aLimitBelowOneIsRefusedAndChangesNothing() {
        ResizableLimit limit = new ResizableLimit(2, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> limit.resize(0));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        assertEquals(2, limit.size());
        assertEquals(2, limit.availablePermits());
    }
}
