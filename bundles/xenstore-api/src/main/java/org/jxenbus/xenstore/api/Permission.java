package org.jxenbus.xenstore.api;

import java.util.Objects;

/**
 * One permission entry: a domain and what it may do. On the wire {@code <letter><domid>}, e.g. {@code r5}.
 *
 * @param domid the domain, 0 to 65535
 * @param access what it may do
 */
public record Permission(int domid, Access access) {

    /** Checks the domain id range. */
    public Permission {
        Objects.requireNonNull(access, "access");
        if (domid < 0 || domid > 0xFFFF) {
            throw new IllegalArgumentException("domain id out of range 0..65535: " + domid);
        }
    }

    /**
     * Parses the wire form, e.g. {@code b0}.
     *
     * @throws IllegalArgumentException if it is not a letter followed by a decimal domain id
     */
    public static Permission parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() < 2 || text.length() > 6) {
            throw new IllegalArgumentException("not a permission entry: \"" + text + "\"");
        }
        Access access = Access.ofLetter(text.charAt(0));
        int domid = 0;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a permission entry: \"" + text + "\"");
            }
            domid = domid * 10 + (c - '0');
        }
        return new Permission(domid, access);
    }

    /** The wire form, e.g. {@code b0}. */
    @Override
    public String toString() {
        return access.letter() + Integer.toString(domid);
    }
}
