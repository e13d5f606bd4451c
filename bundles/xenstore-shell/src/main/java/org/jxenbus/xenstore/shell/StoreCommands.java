package org.jxenbus.xenstore.shell;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.cli.command.XenstoreCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code xs:read write ls list rm mkdir perms chmod watch}: the {@code xenstore} command's verbs over the
 * runtime's store. {@code xs:read} takes {@code xenstore-read}'s options and arguments and prints to the pipe
 * exactly what {@code xenstore-read} prints, messages included, and so on; a failure sets the pipe's status.
 * Arguments reach the store as their UTF-8 bytes. {@code xs:watch} prints events until its {@code -n} limit
 * or until the command is interrupted (Ctrl-C, or its session closing), and removes its watches then.
 *
 * <p>Thread-safe: every call runs its own command on the caller's thread, blocking it for the command's
 * requests. The store is the runtime's, never closed here.
 */
@Component(service = StoreCommands.class)
@GogoCommand(scope = "xs", function = {"read", "write", "ls", "list", "rm", "mkdir", "perms", "chmod", "watch"})
public final class StoreCommands {

    /** {@code xenstore-MODE}: the name xenstore-utils' tools go by, which picks the verb and names messages. */
    private static final String PROGRAM_PREFIX = "xenstore-";

    private final XenstoreService store;

    /** @param store the runtime's store, shared with every other user of this bundle's service */
    @Activate
    public StoreCommands(@Reference XenstoreService store) {
        this.store = store;
    }

    @Descriptor("print values, escaped, one a line (xenstore-read)")
    public void read(@Descriptor("[-p] [-R] key...") String... args) {
        run("read", args);
    }

    @Descriptor("write values, unescaped unless -R, in one transaction (xenstore-write)")
    public void write(@Descriptor("[-R] key value [key value...]") String... args) {
        run("write", args);
    }

    @Descriptor("print subtrees with values, and permissions with -p (xenstore-ls)")
    public void ls(@Descriptor("[-f] [-p] [path...]") String... args) {
        run("ls", args);
    }

    @Descriptor("print children's names (xenstore-list)")
    public void list(@Descriptor("[-p] key...") String... args) {
        run("list", args);
    }

    @Descriptor("remove nodes with their subtrees, empty parents too with -t (xenstore-rm)")
    public void rm(@Descriptor("[-t] key...") String... args) {
        run("rm", args);
    }

    @Descriptor("create nodes and missing parents, keeping existing values")
    public void mkdir(@Descriptor("key...") String... args) {
        run("mkdir", args);
    }

    @Descriptor("print nodes' own permissions as xenstore-ls -p shows them")
    public void perms(@Descriptor("[-p] key...") String... args) {
        run("perms", args);
    }

    @Descriptor("set permissions, on parents with -u, on descendants with -r (xenstore-chmod)")
    public void chmod(@Descriptor("[-u] [-r] key perm... (perm: n|r|w|b followed by a domid)") String... args) {
        run("chmod", args);
    }

    @Descriptor("print the paths of watch events until -n NR events or Ctrl-C (xenstore-watch)")
    public void watch(@Descriptor("[-n NR] key...") String... args) {
        run("watch", args);
    }

    private void run(String mode, String[] args) {
        GogoPipe pipe = GogoPipe.current();
        pipe.exit(XenstoreCommand.overStore(store, pipe.out(), pipe.err()).run(PROGRAM_PREFIX + mode,
                byteStrings(args)));
    }

    /** The arguments as the command takes them: their UTF-8 bytes, one char per byte. */
    private static List<String> byteStrings(String[] args) {
        List<String> bytes = new ArrayList<>(args.length);
        for (String a : args) {
            bytes.add(new String(a.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
        return bytes;
    }
}
