package org.jxenbus.xenstore.sim.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The index finds what comparing a change with every watch finds (xenstored's way), in the order the watches
 * were set, and forgets removed watches.
 */
class ConnectionWatchesTest {

    private static final List<String> PATHS = List.of("/", "/a", "/a/b", "/a/b/c", "/a/bc", "/ab", "/a/b/c/d",
            "/x", "/x/a", "@introduceDomain", "@releaseDomain", "/a/b/");

    @Test
    void aChangeFindsEveryWatchOnItOrAboveItInTheOrderSet() {
        Random random = new Random(12);
        ConnectionWatches index = new ConnectionWatches();
        List<Watch> set = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Watch w = new Watch(PATHS.get(random.nextInt(PATHS.size())), "t" + i, null, random.nextInt(4) - 1);
            index.add(w);
            set.add(w);
            if (random.nextInt(5) == 0) {
                Watch gone = set.remove(random.nextInt(set.size()));
                index.remove(gone);
            }
        }
        for (String name : PATHS) {
            List<Watch> above = new ArrayList<>();
            List<Watch> on = new ArrayList<>();
            for (Watch w : set) {
                if (NodePaths.isChild(name, w.node(), -1)) {
                    above.add(w);
                }
                if (name.equals(w.node())) {
                    on.add(w);
                }
            }
            assertEquals(above, index.onOrAbove(name), "watches on or above " + name);
            assertEquals(on, index.on(name), "watches on " + name);
        }
        assertEquals(set, index.all());
    }

    @Test
    void findsAWatchByNodeAndTokenAndForgetsItOnceRemoved() {
        ConnectionWatches index = new ConnectionWatches();
        Watch first = new Watch("/a", "one", null, -1);
        Watch second = new Watch("/a", "two", null, -1);
        index.add(first);
        index.add(second);
        assertSame(second, index.find("/a", "two"));
        assertNull(index.find("/a", "three"));
        assertSame(first, index.first());
        index.remove(first);
        assertNull(index.find("/a", "one"));
        assertEquals(List.of(second), index.onOrAbove("/a/b"));
        index.remove(second);
        assertTrue(index.isEmpty());
        assertEquals(List.of(), index.onOrAbove("/a/b"));
    }
}
