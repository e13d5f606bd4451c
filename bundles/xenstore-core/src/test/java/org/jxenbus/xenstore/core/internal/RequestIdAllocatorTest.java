package org.jxenbus.xenstore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

class RequestIdAllocatorTest {

    @Test
    void wrapsFromTheLargestUnsignedIdToZero() {
        RequestIdAllocator ids = new RequestIdAllocator(0xfffffffe);
        assertEquals(0xfffffffe, ids.allocate(id -> false));
        assertEquals(0xffffffff, ids.allocate(id -> false));
        assertEquals(0, ids.allocate(id -> false));
        assertEquals(1, ids.allocate(id -> false));
    }

    @Test
    void skipsIdsStillInUseAcrossTheWrap() {
        Set<Integer> inUse = Set.of(0xffffffff, 0, 2);
        RequestIdAllocator ids = new RequestIdAllocator(0xfffffffe);
        assertEquals(0xfffffffe, ids.allocate(inUse::contains));
        assertEquals(1, ids.allocate(inUse::contains));
        assertEquals(3, ids.allocate(inUse::contains));
    }
}
