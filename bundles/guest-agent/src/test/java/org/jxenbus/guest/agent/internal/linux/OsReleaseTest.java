package org.jxenbus.guest.agent.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jxenbus.guest.agent.OsFacts;
import org.junit.jupiter.api.Test;

/**
 * identify_os_release of xe-guest-utilities (mk/xe-linux-distribution:303-332, xenserver/xe-guest-utilities@244c56f):
 * os_distro=$ID, major and minor from VERSION_ID by sed 's/^\([0-9]*\)\.\?\([0-9]*\).*$/...' (325-326), each
 * "unknown" when empty (328-329), os_name=$PRETTY_NAME (331).
 */
class OsReleaseTest {

    @Test
    void debianTwelveHasNoMinorVersionInOsRelease() {
        OsFacts os = OsRelease.facts(List.of(
                "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"",
                "NAME=\"Debian GNU/Linux\"",
                "VERSION_ID=\"12\"",
                "ID=debian"), "6.1.0-18-amd64");
        assertEquals(new OsFacts("debian", "12", "unknown", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64"), os);
    }

    @Test
    void ubuntuKeepsTheMinorVersionAsWritten() {
        OsFacts os = OsRelease.facts(List.of("ID=ubuntu", "VERSION_ID=\"22.04\"",
                "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\""), "5.15.0");
        assertEquals("22", os.majorVersion());
        assertEquals("04", os.minorVersion(), "sed keeps the digits, leading zero included");
        assertEquals("Ubuntu 22.04.4 LTS", os.name());
    }

    @Test
    void aVersionWithMoreComponentsKeepsTheFirstTwo() {
        OsFacts os = OsRelease.facts(List.of("ID='rocky'", "VERSION_ID=\"8.7.1\""), "4.18.0");
        assertEquals("rocky", os.distro());
        assertEquals("8", os.majorVersion());
        assertEquals("7", os.minorVersion());
        assertEquals("", os.name(), "no PRETTY_NAME: empty, as ${PRETTY_NAME} expands");
    }

    @Test
    void noVersionIdIsUnknownTwice() {
        OsFacts os = OsRelease.facts(List.of("# rolling", "ID=arch", "PRETTY_NAME=\"Arch Linux\""), "6.8.1-arch1-1");
        assertEquals("unknown", os.majorVersion());
        assertEquals("unknown", os.minorVersion());
    }

    @Test
    void shellQuotingIsUndoneAsSourceWould() {
        assertEquals("A \"quoted\" $name\\", OsRelease.parse(List.of("X=\"A \\\"quoted\\\" \\$name\\\\\"")).get("X"));
        assertEquals("single \\n quotes", OsRelease.parse(List.of("X='single \\n quotes'")).get("X"));
    }
}
