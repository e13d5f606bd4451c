package org.jxenbus.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The command over {@code ring:fake:} URIs: dom0's ring and an introduced guest's, against the real
 * xenstored, with the same output the socket gives.
 */
@ExtendWith(XenstoredExtension.class)
class RingCommandLineIT {

    private static final Path BIN = Path.of(System.getProperty("jxenbus.home", "target/jxenbus"), "bin", "xenstore");

    @Test
    void dom0sRingServesTheCommandAsTheSocketDoes(FakeXenHost host) throws Exception {
        String ring = host.dom0RingUri().toString();
        String socket = host.socketUri().toString();
        assertEquals("", run(ring, "write", "/cli/ring/a", "over\\tthe ring", "/cli/ring/b", "2").out);
        Result viaRing = run(ring, "ls", "/cli");
        Result viaSocket = run(socket, "ls", "/cli");
        assertEquals("ring = \"\"\n a = \"over\\tthe ring\"\n b = \"2\"\n", viaRing.out);
        assertEquals(viaSocket.out, viaRing.out);
        assertEquals("over\\tthe ring\n2\n", run(ring, "read", "/cli/ring/a", "/cli/ring/b").out);
        assertEquals(0, run(ring, "exists", "/cli/ring/a").status);
        assertEquals(1, run(ring, "exists", "/cli/ring/none").status);
    }

    @Test
    void aGuestsRingGetsTheGuestsPermissions(FakeXenHost host) throws Exception {
        host.introduceGuest(9, 4);
        run(host.socketUri().toString(), "write", "/cli/secret", "dom0 only");
        String guest = host.guestRingUri(9).toString();
        Result denied = run(guest, "read", "/cli/secret");
        assertEquals(1, denied.status);
        assertEquals("xenstore: couldn't read path /cli/secret\n", denied.err);
        run(host.socketUri().toString(), "write", "/local/domain/9/name", "guest-nine");
        run(host.socketUri().toString(), "chmod", "/local/domain/9/name", "n9");
        assertEquals("guest-nine\n", run(guest, "read", "name").out, "relative to the guest's home");
    }

    private static Result run(String uri, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BIN.toString(), "--connect", uri));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hung: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private record Result(int status, String out, String err) {
    }
}
