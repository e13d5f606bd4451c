package org.jxenbus.itests.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxenbus.xenstore.api.InvalidPathException;
import org.jxenbus.xenstore.api.Permission;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XenstorePaths;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * The path validator and the permission parser on any text, with coverage guidance (Jazzer).
 *
 * <p>Oracle for paths: C xenstored's rules restated as a regular expression (alphanumerics and {@code -/_@},
 * no {@code //}, no trailing {@code /} but the root, 3072 characters absolute, 2048 relative);
 * {@link XenstorePaths#problem} agrees with it, {@link XenstorePaths#check} throws
 * {@link InvalidPathException} (EINVAL, naming the rule) exactly when a problem is found, and a valid path
 * survives the wire's string encoding. For permissions: {@link Permissions#parse} either gives entries that
 * print back to a text that parses to the same, or throws {@link IllegalArgumentException}.
 *
 * <p>CI fuzzes for 10 s; {@code -Djxenbus.full=true} runs 3,500,000 (see this module's pom).
 */
@ExtendWith(InputCounter.class)
class PathAndPermissionFuzzTest {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_@/-]+");

    @FuzzTest(maxDuration = "10s")
    void validatorAgreesWithXenstoredsRules(FuzzedDataProvider data) throws MalformedMessageException {
        InputCounter.tick();
        String path = data.consumeString(160).repeat(data.consumeInt(1, 24)); // long paths from short inputs
        if (data.consumeBoolean()) {
            path = "/" + path; // the absolute paths most callers give
        }
        String text = data.consumeRemainingAsString();

        String problem = XenstorePaths.problem(path);
        assertEquals(expectedValid(path), problem == null, () -> "problem " + problem);
        if (problem == null) {
            XenstorePaths.check("read", path);
            assertEquals(List.of(path), Payloads.stringList(Payloads.strings(path)));
        } else {
            String p = path;
            InvalidPathException e = assertThrows(InvalidPathException.class, () -> XenstorePaths.check("read", p));
            assertEquals("EINVAL", e.errorName());
            assertTrue(e.getMessage().contains(problem), e.getMessage());
        }

        Permissions parsed;
        try {
            parsed = Permissions.parse(text);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            return;
        }
        assertEquals(parsed, Permissions.parse(parsed.toString()));
        for (Permission entry : parsed.entries()) {
            assertTrue(entry.domid() >= 0 && entry.domid() <= 0xffff, entry.toString());
        }
    }

    private static boolean expectedValid(String path) {
        if (path.isEmpty() || !VALID.matcher(path).matches() || path.contains("//")) {
            return false;
        }
        if (path.length() > 1 && path.endsWith("/")) {
            return false;
        }
        return path.length() <= (path.startsWith("/") ? XsWire.XENSTORE_ABS_PATH_MAX : XsWire.XENSTORE_REL_PATH_MAX);
    }
}
