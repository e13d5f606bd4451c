package org.jxenbus.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Debian Xen 4.17 binaries and the LD_PRELOAD shim, provisioned by {@code itests/fakexen/provision.sh}
 * into a cache folder (apt-get download + dpkg -x; nothing installed system-wide). Provisioned once per
 * JVM. Thread-safe.
 */
public final class XenTools {

    private static XenTools instance;

    private final Path xenstored;
    private final Path libDir;
    private final Path shim;
    private final Path xenstoreBin;
    private final Path testXenstore;
    private final Optional<Path> pyxsPath;
    private final Path fakexenDir;

    private XenTools(Map<String, String> paths, Path fakexenDir) {
        this.xenstored = Path.of(require(paths, "XENSTORED"));
        this.libDir = Path.of(require(paths, "LIBDIR"));
        this.shim = Path.of(require(paths, "SHIM"));
        this.xenstoreBin = Path.of(require(paths, "XENSTORE_BIN"));
        this.testXenstore = Path.of(require(paths, "TEST_XENSTORE"));
        String pyxs = paths.getOrDefault("PYXS_PATH", "");
        this.pyxsPath = pyxs.isEmpty() ? Optional.empty() : Optional.of(Path.of(pyxs));
        this.fakexenDir = fakexenDir;
    }

    /**
     * Runs provision.sh (quick when the cache is complete) and returns the paths it reports.
     *
     * @throws IllegalStateException if provisioning fails; the message carries the script's output
     */
    public static synchronized XenTools provision() {
        if (instance == null) {
            Path fakexen = repositoryRoot().resolve("itests/fakexen");
            instance = new XenTools(run(fakexen.resolve("provision.sh")), fakexen);
        }
        return instance;
    }

    /** The repository's root: {@code -Djxenbus.root}, else the nearest parent holding itests/fakexen. */
    public static Path repositoryRoot() {
        String configured = System.getProperty("jxenbus.root");
        if (configured != null && Files.isRegularFile(Path.of(configured, "itests/fakexen/provision.sh"))) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("itests/fakexen/provision.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find itests/fakexen/provision.sh above " + Path.of("").toAbsolutePath()
                + "; set -Djxenbus.root");
    }

    private static Map<String, String> run(Path script) {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process p = pb.start();
            Map<String, String> out = new HashMap<>();
            StringBuilder all = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    all.append(line).append('\n');
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        out.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " failed; output:\n" + all);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted provisioning", e);
        }
    }

    private static String require(Map<String, String> paths, String key) {
        String v = paths.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("provision.sh reported no " + key + ": " + paths);
        }
        return v;
    }

    /** The C xenstored binary. */
    public Path xenstored() {
        return xenstored;
    }

    /** The folder(s) to put in LD_LIBRARY_PATH for the extracted Xen libraries. */
    public Path libDir() {
        return libDir;
    }

    /** The LD_PRELOAD shim. */
    public Path shim() {
        return shim;
    }

    /** The folder holding xenstore-read, xenstore-write ... */
    public Path xenstoreBin() {
        return xenstoreBin;
    }

    /** Xen's own test-xenstore. */
    public Path testXenstore() {
        return testXenstore;
    }

    /** PYTHONPATH for python3-pyxs, when it was provisioned. */
    public Optional<Path> pyxsPath() {
        return pyxsPath;
    }

    /** itests/fakexen in the repository. */
    public Path fakexenDir() {
        return fakexenDir;
    }

    /**
     * A process builder for an xenstore-utils tool ({@code xenstore-read} ...) talking to {@code socket},
     * with the extracted libraries on LD_LIBRARY_PATH.
     */
    public ProcessBuilder xenstoreTool(Path socket, String tool, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = xenstoreBin.resolve(tool).toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LD_LIBRARY_PATH", libDir.toString());
        pb.environment().put("XENSTORED_PATH", socket.toString());
        return pb;
    }
}
