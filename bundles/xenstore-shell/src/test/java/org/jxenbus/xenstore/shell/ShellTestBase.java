package org.jxenbus.xenstore.shell;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.XenstoreStatus;
import org.jxenbus.xenstore.client.Xenstore;

/**
 * What every test class here runs on: a real xenstored on the fake hypervisor (one per class), a connection to
 * its socket opened with the plain-Java facade, standing in for the runtime's {@link XenstoreService} and
 * (through {@link ConnectionStatus}) its {@link XenstoreStatus}, and Gogo with this bundle's components over it.
 */
@ExtendWith(XenstoredExtension.class)
abstract class ShellTestBase {

    /** The xenstored, and the real tools for it. */
    static FakeXenHost host;
    /** The connection, for the test's own requests. */
    static XenstoreConnection xs;
    /** Gogo with the {@code xs:} commands. */
    static GogoShell shell;

    @BeforeAll
    static void openStoreAndShell(FakeXenHost started) throws Exception {
        host = started;
        xs = Xenstore.open(host.socketUri());
        shell = new GogoShell(Map.of(XenstoreService.class, xs, XenstoreStatus.class, new ConnectionStatus(xs)));
    }

    @AfterAll
    static void closeShellAndStore() {
        try {
            if (shell != null) {
                shell.close();
            }
        } finally {
            if (xs != null) {
                xs.close();
            }
        }
    }
}
