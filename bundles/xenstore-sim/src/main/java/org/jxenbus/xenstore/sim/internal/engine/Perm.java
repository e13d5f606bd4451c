package org.jxenbus.xenstore.sim.internal.engine;

/**
 * One entry of a node's permission list ({@code struct xs_permissions}): a domain id (unsigned 32 bits)
 * and access bits. The first entry of a list names the owner; its bits are everyone else's default.
 */
record Perm(int id, int bits) {

    /** {@code XS_PERM_NONE}. */
    static final int NONE = 0;
    /** {@code XS_PERM_READ}. */
    static final int READ = 1;
    /** {@code XS_PERM_WRITE}. */
    static final int WRITE = 2;
    /** {@code XS_PERM_OWNER}: only ever computed, never stored. */
    static final int OWNER = 8;
    /** {@code XS_PERM_IGNORE}: the entry names a domain that no longer exists (or never did). */
    static final int IGNORE = 0x10;

    /** The access letter and the id as {@code %i} prints it: {@code r5}, {@code n-1}. */
    String text() {
        char letter = switch (bits & ~IGNORE) {
            case WRITE -> 'w';
            case READ -> 'r';
            case READ | WRITE -> 'b';
            default -> 'n';
        };
        return letter + Integer.toString(id);
    }

    boolean ignored() {
        return (bits & IGNORE) != 0;
    }

    Perm ignore() {
        return new Perm(id, bits | IGNORE);
    }

    Perm withId(int newId) {
        return new Perm(newId, bits);
    }
}
