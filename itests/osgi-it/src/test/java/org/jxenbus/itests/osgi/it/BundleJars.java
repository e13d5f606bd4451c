package org.jxenbus.itests.osgi.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Jars re-made by the tests: the same classes under an edited manifest (a transport bundle with a bumped
 * Bundle-Version, the test bed's plain jar turned into a bundle), or classes put into a bundle of their own (the
 * driver bundle of DeviceProbeIT). Plain JDK, so usable in both JVMs.
 */
final class BundleJars {

    private BundleJars() {
    }

    /** A copy of {@code jar} (a jar file's bytes) whose main manifest attributes {@code edit} changed. */
    static byte[] rewrite(InputStream jar, Consumer<Attributes> edit) {
        try (JarInputStream in = new JarInputStream(jar)) {
            Manifest manifest = in.getManifest() == null ? new Manifest() : new Manifest(in.getManifest());
            manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
            edit.accept(manifest.getMainAttributes());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-make a jar", e);
        }
    }

    /** {@link #rewrite(InputStream, Consumer)} of a jar file, or of a folder of classes (target/classes). */
    static byte[] rewrite(Path jarOrFolder, Consumer<Attributes> edit) {
        try (InputStream in = Files.isRegularFile(jarOrFolder) ? Files.newInputStream(jarOrFolder)
                : new ByteArrayInputStream(jarOf(jarOrFolder))) {
            return rewrite(in, edit);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jarOrFolder, e);
        }
    }

    /** A jar of {@code entries} (path in the jar to content) whose main manifest attributes {@code headers} set. */
    static byte[] bundle(Map<String, byte[]> entries, Consumer<Attributes> headers) {
        return rewrite(new ByteArrayInputStream(jarOf(entries)), headers);
    }

    private static byte[] jarOf(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Map<String, byte[]> entries = new TreeMap<>();
        for (Path f : files) {
            String name = folder.relativize(f).toString().replace('\\', '/');
            if (!name.equals("META-INF/MANIFEST.MF")) {
                entries.put(name, Files.readAllBytes(f));
            }
        }
        return jarOf(entries);
    }

    private static byte[] jarOf(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, new Manifest())) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a jar", e);
        }
        return bytes.toByteArray();
    }
}
