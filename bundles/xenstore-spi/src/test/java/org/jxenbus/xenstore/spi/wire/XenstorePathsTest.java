package org.jxenbus.xenstore.spi.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jxenbus.xenstore.api.InvalidPathException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XenstorePathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/local/domain/0", "data/x", "@introduceDomain", "@releaseDomain", "/a-b_c@d/E9"})
    void acceptsValidPaths(String path) {
        assertNull(XenstorePaths.problem(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a//b", "/a/", "a/", "/a b", "/a.b", "/a\u00e9", "/a\0b", "/a:b"})
    void rejectsWhatXenstoredRejects(String path) {
        InvalidPathException e = assertThrows(InvalidPathException.class, () -> XenstorePaths.check("READ", path));
        assertEquals("EINVAL", e.errorName());
        assertTrue(e.getMessage().startsWith("READ "), e.getMessage());
    }

    @Test
    void limitsAbsoluteAndRelativeLengthsSeparately() {
        assertNull(XenstorePaths.problem("/" + "a".repeat(3071)));
        assertTrue(XenstorePaths.problem("/" + "a".repeat(3072)).contains("3072"));
        assertNull(XenstorePaths.problem("a".repeat(2048)));
        assertTrue(XenstorePaths.problem("a".repeat(2049)).contains("2048"));
    }

    @Test
    void nullPathIsTyped() {
        assertThrows(InvalidPathException.class, () -> XenstorePaths.check("READ", null));
    }

    @Test
    void relativeMeansNeitherSlashNorAt() {
        assertTrue(XenstorePaths.isRelative("data/x"));
        assertFalse(XenstorePaths.isRelative("/data"));
        assertFalse(XenstorePaths.isRelative("@releaseDomain"));
    }
}
