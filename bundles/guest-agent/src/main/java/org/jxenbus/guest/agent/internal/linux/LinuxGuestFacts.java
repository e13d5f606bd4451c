package org.jxenbus.guest.agent.internal.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jxenbus.guest.agent.GuestFacts;
import org.jxenbus.guest.agent.InterfaceFacts;
import org.jxenbus.guest.agent.MemoryFacts;
import org.jxenbus.guest.agent.OsFacts;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;

/**
 * A Linux guest's facts: {@code /etc/os-release} (else {@code /usr/lib/os-release}, as os-release(5) says),
 * {@code /proc/sys/kernel/osrelease} (what {@code uname -r} prints; the JVM's {@code os.version} where it cannot be
 * read), {@code /proc/meminfo}, and the JVM's view of the network interfaces. Every file is read anew on each call.
 * Thread-safe. In OSGi it is registered with {@code service.ranking} -100, so any other guest's {@link GuestFacts}
 * replaces it.
 */
@Component(service = GuestFacts.class, property = Constants.SERVICE_RANKING + ":Integer=-100")
public final class LinuxGuestFacts implements GuestFacts {

    private final Path root;

    /** Reads the running system's files. */
    public LinuxGuestFacts() {
        this(Path.of("/"));
    }

    /** Reads the files under {@code root} instead of {@code /} (a copy of a system's files, in tests). */
    public LinuxGuestFacts(Path root) {
        this.root = root;
    }

    @Override
    public OsFacts os() {
        Path osRelease = root.resolve("etc/os-release");
        if (!Files.exists(osRelease)) {
            osRelease = root.resolve("usr/lib/os-release");
        }
        return OsRelease.facts(lines(osRelease), uname());
    }

    private String uname() {
        Path osrelease = root.resolve("proc/sys/kernel/osrelease");
        if (Files.isReadable(osrelease)) {
            return String.join("", lines(osrelease)).strip();
        }
        return System.getProperty("os.version", "");
    }

    @Override
    public MemoryFacts memory() {
        return Meminfo.facts(lines(root.resolve("proc/meminfo")));
    }

    /** Interfaces with a six-octet hardware address, loopback excluded; their addresses without scopes. */
    @Override
    public List<InterfaceFacts> interfaces() {
        List<InterfaceFacts> found = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                byte[] mac = ni.getHardwareAddress();
                if (ni.isLoopback() || mac == null || mac.length != 6) {
                    continue;
                }
                List<InetAddress> addresses = Collections.list(ni.getInetAddresses());
                found.add(new InterfaceFacts(ni.getName(), InterfaceFacts.macText(mac), addresses));
            }
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot list the network interfaces", e);
        }
        return found;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
