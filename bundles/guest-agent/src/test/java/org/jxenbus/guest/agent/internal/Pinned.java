package org.jxenbus.guest.agent.internal;

/**
 * The expected paths, written out here (not taken from the code under test) with the line each comes from.
 * xe-guest-utilities is xenserver/xe-guest-utilities@244c56f8c7a1; xen-guest-agent is
 * xcp-ng/xen-guest-agent@ec99f28eb5fc; xenstore-paths is xen-project/xen@c447b7308b13
 * docs/misc/xenstore-paths.pandoc. Relative to the domain's home.
 */
final class Pinned {

    /** xe-linux-distribution:54 echo os_distro + guestmetric_linux.go:39 prefixKeys("data/"); schema_std.rs:53. */
    static final String OS_DISTRO = "data/os_distro";
    /** xe-linux-distribution:55; xenstore_schema_std.rs:62. */
    static final String OS_MAJORVER = "data/os_majorver";
    /** xe-linux-distribution:56; xenstore_schema_std.rs:63. */
    static final String OS_MINORVER = "data/os_minorver";
    /** xe-linux-distribution:57 (uname -r, line 43); xenstore_schema_std.rs:72 (uname release, main.rs:175-177). */
    static final String OS_UNAME = "data/os_uname";
    /** xe-linux-distribution:58; xenstore_schema_std.rs:54. */
    static final String OS_NAME = "data/os_name";
    /** KiB: guestmetric_linux.go:70-71 + :81; xenstore_schema_std.rs:76, collector_memory_linux.rs:14-15. */
    static final String MEMINFO_TOTAL = "data/meminfo_total";
    /** KiB, MemAvailable over MemFree: guestmetric_linux.go:72-79; xenstore_schema_std.rs:100, main.rs:108-109. */
    static final String MEMINFO_FREE = "data/meminfo_free";
    /** xe-daemon.go:153-155, layout "Mon Jan _2 15:04:05 2006". */
    static final String UPDATED = "data/updated";

    /**
     * {@code attr/vif/<devid>/ipv4/<n>}: guestmetric_linux.go:172 + :208 + :115; xenstore_schema_std.rs:112 + :122 +
     * :156; xenstore-paths:555.
     */
    static String ipv4(String devid, int n) {
        return "attr/vif/" + devid + "/ipv4/" + n;
    }

    /** {@code attr/vif/<devid>/ipv6/<n>}: guestmetric_linux.go:121; xenstore_schema_std.rs:157; xenstore-paths:556. */
    static String ipv6(String devid, int n) {
        return "attr/vif/" + devid + "/ipv6/" + n;
    }

    private Pinned() {
    }
}
