package org.jxenbus.xenstore.api.device;

/**
 * The two xenbus buses of a domain (Linux's {@code xenbus_probe_frontend.c} and {@code xenbus_probe_backend.c}).
 */
public enum XenbusBus {
    /**
     * The devices this domain uses: {@code device/<type>/<id>} under the domain's home; the other end is named by
     * the device's {@code backend} and {@code backend-id} nodes.
     */
    FRONTEND("frontend", "device", 2, "backend", "backend-id"),
    /**
     * The devices this domain serves (dom0 or a driver domain): {@code backend/<type>/<frontend-domid>/<id>} under
     * the domain's home; the other end is named by the device's {@code frontend} and {@code frontend-id} nodes.
     */
    BACKEND("backend", "backend", 3, "frontend", "frontend-id");

    private final String value;
    private final String root;
    private final int levels;
    private final String otherendKey;
    private final String otherendIdKey;

    XenbusBus(String value, String root, int levels, String otherendKey, String otherendIdKey) {
        this.value = value;
        this.root = root;
        this.levels = levels;
        this.otherendKey = otherendKey;
        this.otherendIdKey = otherendIdKey;
    }

    /** The value of {@link XenbusProperties#BUS}: {@code frontend} or {@code backend}. */
    public String value() {
        return value;
    }

    /** The bus's root node, relative to the domain's home: {@code device} or {@code backend}. */
    public String root() {
        return root;
    }

    /** Path components of a device's node below the root: 2 ({@code <type>/<id>}) or 3. */
    public int levels() {
        return levels;
    }

    /** The device's node naming the other end's path: {@code backend} or {@code frontend}. */
    public String otherendKey() {
        return otherendKey;
    }

    /** The device's node naming the other end's domain: {@code backend-id} or {@code frontend-id}. */
    public String otherendIdKey() {
        return otherendIdKey;
    }

    /**
     * The bus for a property value.
     *
     * @throws IllegalArgumentException for anything but {@code frontend} or {@code backend}
     */
    public static XenbusBus ofValue(String value) {
        for (XenbusBus b : values()) {
            if (b.value.equals(value)) {
                return b;
            }
        }
        throw new IllegalArgumentException("not a xenbus bus: \"" + value + "\" (frontend or backend)");
    }
}
