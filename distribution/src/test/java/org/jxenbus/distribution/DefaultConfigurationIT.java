package org.jxenbus.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The distribution's config/ documents exactly the configuration the runtime's jxenbus bundles declare: for every
 * PID designated in their Metatype, one file PID.cfg or PID.config (or PID.cfg.example, PID.config.example for
 * a component that is off unless configured, which File Install ignores), naming every one of its properties
 * (set or commented out); and no file for a PID nobody declares.
 */
class DefaultConfigurationIT {

    private static final Path HOME = FelixRuntimeIT.HOME;
    /** PID.cfg, PID.config, and the same with .example for components that are off unless configured. */
    private static final Pattern CONFIG_FILE = Pattern.compile("(.+)\\.(cfg|config)(\\.example)?");

    @Test
    void configFolderNamesEveryPidAndPropertyTheBundlesDeclare() throws Exception {
        Map<String, List<String>> declared = declaredPids();
        assertTrue(declared.containsKey("org.jxenbus.xenstore"), "the core's PID is declared: " + declared.keySet());

        TreeSet<String> files = new TreeSet<>();
        try (Stream<Path> config = Files.list(HOME.resolve("config"))) {
            config.map(p -> p.getFileName().toString()).forEach(files::add);
        }
        Map<String, String> fileOfPid = new TreeMap<>();
        for (String name : files) {
            assertTrue(CONFIG_FILE.matcher(name).matches(), "config/" + name + " is not PID.cfg or PID.config (.example)");
            fileOfPid.put(name.replaceFirst(CONFIG_FILE.pattern(), "$1"), name);
        }
        assertEquals(declared.keySet(), fileOfPid.keySet(), "one file per declared PID in config/: " + files);

        for (Map.Entry<String, List<String>> pid : declared.entrySet()) {
            Path file = HOME.resolve("config").resolve(fileOfPid.get(pid.getKey()));
            String text = Files.readString(file);
            for (String property : pid.getValue()) {
                Pattern line = Pattern.compile("(?m)^#?\\s*" + Pattern.quote(property) + "\\s*[=:]");
                assertTrue(line.matcher(text).find(), file + " does not name " + property);
            }
        }
    }

    /** PID to its properties, from OSGI-INF/metatype of every jxenbus bundle in bundle/. */
    private static Map<String, List<String>> declaredPids() throws Exception {
        Map<String, List<String>> pids = new TreeMap<>();
        List<Path> jars;
        try (Stream<Path> all = Files.list(HOME.resolve("bundle"))) {
            jars = all.filter(p -> p.toString().endsWith(".jar")).collect(Collectors.toList());
        }
        for (Path jar : jars) {
            try (JarFile j = new JarFile(jar.toFile())) {
                String bsn = j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
                if (bsn == null || !bsn.startsWith("org.jxenbus.")) {
                    continue;
                }
                for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().startsWith("OSGI-INF/metatype/") && entry.getName().endsWith(".xml")) {
                        try (InputStream in = j.getInputStream(entry)) {
                            addDesignates(parse(in), pids);
                        }
                    }
                }
            }
        }
        return pids;
    }

    private static void addDesignates(Document doc, Map<String, List<String>> pids) {
        Map<String, List<String>> ocds = new TreeMap<>();
        NodeList ocdNodes = doc.getElementsByTagName("OCD");
        for (int i = 0; i < ocdNodes.getLength(); i++) {
            Element ocd = (Element) ocdNodes.item(i);
            List<String> ids = new ArrayList<>();
            NodeList ads = ocd.getElementsByTagName("AD");
            for (int k = 0; k < ads.getLength(); k++) {
                ids.add(((Element) ads.item(k)).getAttribute("id"));
            }
            ocds.put(ocd.getAttribute("id"), ids);
        }
        NodeList designates = doc.getElementsByTagName("Designate");
        for (int i = 0; i < designates.getLength(); i++) {
            Element designate = (Element) designates.item(i);
            String pid = designate.getAttribute("pid").isEmpty() ? designate.getAttribute("factoryPid")
                    : designate.getAttribute("pid");
            Element object = (Element) designate.getElementsByTagName("Object").item(0);
            pids.put(pid, ocds.getOrDefault(object.getAttribute("ocdref"), List.of()));
        }
    }

    private static Document parse(InputStream in) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(in);
    }
}
