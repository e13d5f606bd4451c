package org.jxenbus.itests.jpms;

import java.util.List;
import java.util.TreeSet;

import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;

/**
 * Writes, reads and lists through {@code Xenstore.open(args[0])}, then prints what it saw and which modules
 * the boot layer holds, for the test to check.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        try (XenstoreConnection xs = Xenstore.open(args[0])) {
            xs.write("/jpms/hello", "from the module path");
            xs.transaction(tx -> {
                tx.write("/jpms/tx", "committed");
                return null;
            });
            System.out.println("read=" + xs.read("/jpms/hello"));
            System.out.println("tx=" + xs.read("/jpms/tx"));
            System.out.println("ls=" + String.join(",", xs.directory("/jpms")));
        }
        TreeSet<String> modules = new TreeSet<>();
        ModuleLayer.boot().modules().forEach(m -> modules.add(m.getName()));
        System.out.println("named=" + Main.class.getModule().isNamed());
        System.out.println("modules=" + String.join(",", modules.stream().filter(n -> !n.startsWith("java.")
                && !n.startsWith("jdk.")).toList()));
        System.out.println("osgi=" + List.copyOf(modules).stream().anyMatch(n -> n.contains("osgi")));
    }
}
