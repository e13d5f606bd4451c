package org.jxenbus.transport.xendev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.XenTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles src/test/c/xen_abi.c against the libxen-dev headers (Debian's, provisioned with the test bed)
 * and checks every ioctl number, struct size and offset {@link XenAbi} declares equals what gcc computes.
 */
class XenAbiTest {

    @Test
    void everyConstantEqualsWhatGccComputesFromTheXenHeaders(@TempDir Path tmp) throws Exception {
        Path include = XenTools.provision().libDir().getParent().getParent().resolve("include");
        assertTrue(Files.isRegularFile(include.resolve("xen/sys/evtchn.h")), "libxen-dev headers in " + include);
        Path exe = tmp.resolve("xen_abi");
        run("gcc", "-Wall", "-Werror", "-I" + include, "-o", exe.toString(), Path.of("src/test/c/xen_abi.c").toString());
        Map<String, Long> fromC = new HashMap<>();
        for (String line : run(exe.toString()).split("\n")) {
            String[] kv = line.split("=");
            fromC.put(kv[0], Long.parseLong(kv[1]));
        }
        int checked = 0;
        for (Map.Entry<String, Long> e : fromC.entrySet()) {
            long java = javaValue(e.getKey());
            assertEquals(e.getValue().longValue(), java, e.getKey());
            checked++;
        }
        assertEquals(fromC.size(), checked);
        assertTrue(checked >= 25, "constants checked: " + checked);
        System.out.println("XenAbi: " + checked + " constants equal gcc's from the libxen-dev headers");
    }

    private static long javaValue(String name) throws ReflectiveOperationException {
        Class<?> owner = name.startsWith("POLLFD") ? LibC.class : XenAbi.class;
        Field f = owner.getField(name);
        return ((Number) f.get(null)).longValue();
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
