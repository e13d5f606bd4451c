package org.jxenbus.xenstore.shell;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.Result;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The real Gogo runtime, outside OSGi, with this bundle's components in it as DS and Gogo would put them: each
 * component named in the built jar's {@code Service-Component} descriptors is constructed with the services
 * its constructor references, and each of its {@code osgi.command.function}s is added under its
 * {@code osgi.command.scope}, as the runtime's command tracker does.
 */
final class GogoShell implements AutoCloseable {

    /** What one command line did: Gogo's status (0, or what the command set) and the bytes of its two streams. */
    record Outcome(int status, byte[] out, byte[] err) {
        String outText() {
            return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        String errText() {
            return new String(err, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        /** Everything, bytes shown one char per byte, for assertions that print what differs. */
        String describe() {
            return "status " + status + "\n--- stdout\n" + outText() + "--- stderr\n" + errText();
        }
    }

    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private final CommandProcessorImpl processor;

    /**
     * @param services the services the components reference, by interface
     */
    GogoShell(Map<Class<?>, Object> services) throws Exception {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        for (Element component : descriptors()) {
            register(component, services);
        }
    }

    /** The {@code scope:function} names registered, sorted. */
    List<String> commands() {
        List<String> names = new ArrayList<>(processor.getCommands());
        names.sort(null);
        return names;
    }

    /** A session writing to {@code out} and {@code err}, with no input. */
    CommandSessionImpl session(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return processor.createSession(new ByteArrayInputStream(new byte[0]), out, err);
    }

    /** Runs {@code line} in a new session and returns what it did. */
    Outcome run(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicReference<Result> last = new AtomicReference<>();
        try (CommandSessionImpl session = session(out, err)) {
            session.setJobListener((job, previous, current) -> {
                if (current == Job.Status.Done) {
                    last.set(job.result());
                }
            });
            session.execute(line);
        }
        Result result = last.get();
        return new Outcome(result == null ? 0 : result.error(), out.toByteArray(), err.toByteArray());
    }

    @Override
    public void close() {
        processor.stop();
        threadIO.stop();
    }

    private void register(Element component, Map<Class<?>, Object> services) throws Exception {
        String scope = null;
        List<String> functions = new ArrayList<>();
        NodeList properties = component.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element p = (Element) properties.item(i);
            String value = p.hasAttribute("value") ? p.getAttribute("value") : p.getTextContent();
            if (p.getAttribute("name").equals("osgi.command.scope")) {
                scope = value.trim();
            } else if (p.getAttribute("name").equals("osgi.command.function")) {
                value.lines().map(String::trim).filter(s -> !s.isEmpty()).forEach(functions::add);
            }
        }
        Element implementation = (Element) component.getElementsByTagName("implementation").item(0);
        Class<?> type = Class.forName(implementation.getAttribute("class"));
        NodeList references = component.getElementsByTagName("reference");
        int init = component.hasAttribute("init") ? Integer.parseInt(component.getAttribute("init")) : 0;
        Object[] arguments = new Object[init];
        Class<?>[] parameterTypes = new Class<?>[init];
        for (int i = 0; i < references.getLength(); i++) {
            Element r = (Element) references.item(i);
            if (!r.hasAttribute("parameter")) {
                continue; // a dynamic reference by bind method: nothing bound here, as with no such service
            }
            int parameter = Integer.parseInt(r.getAttribute("parameter"));
            parameterTypes[parameter] = Class.forName(r.getAttribute("interface"));
            arguments[parameter] = services.get(parameterTypes[parameter]);
            if (arguments[parameter] == null) {
                throw new IllegalArgumentException(type + " references " + parameterTypes[parameter] + ", not given");
            }
        }
        Constructor<?> constructor = type.getConstructor(parameterTypes);
        Object instance = constructor.newInstance(arguments);
        for (String function : functions) {
            processor.addCommand(scope, instance, function);
        }
    }

    /** The component descriptors the built bundle declares. */
    private static List<Element> descriptors() throws Exception {
        Path bundle = Path.of(System.getProperty("shell.bundle"));
        List<Element> components = new ArrayList<>();
        try (JarFile jar = new JarFile(bundle.toFile())) {
            String header = jar.getManifest().getMainAttributes().getValue("Service-Component");
            for (String name : header.split(",")) {
                ZipEntry entry = jar.getEntry(name.trim());
                try (InputStream in = jar.getInputStream(entry)) {
                    components.add(parse(in).getDocumentElement());
                }
            }
        }
        return components;
    }

    private static Document parse(InputStream in) throws Exception {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a component descriptor", e);
        }
    }
}
