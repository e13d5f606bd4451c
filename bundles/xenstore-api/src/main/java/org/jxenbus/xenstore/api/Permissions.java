package org.jxenbus.xenstore.api;

import java.util.List;
import java.util.Objects;

/**
 * A node's permissions as xenstore keeps them: the first entry names the owner (who always has full
 * access) and, by its letter, the access of every domain without an entry of its own; later entries are
 * per-domain grants. Immutable.
 *
 * @param entries the entries in wire order, at least one
 */
public record Permissions(List<Permission> entries) {

    /** Copies the list and checks it has an owner entry. */
    public Permissions {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("permissions need at least the owner entry");
        }
    }

    /** Owner {@code owner}, everyone else {@code others}, plus the given grants. */
    public static Permissions of(int owner, Access others, Permission... grants) {
        Permission[] all = new Permission[grants.length + 1];
        all[0] = new Permission(owner, others);
        System.arraycopy(grants, 0, all, 1, grants.length);
        return new Permissions(List.of(all));
    }

    /**
     * Parses entries separated by blanks, e.g. {@code "n0 r5"}.
     *
     * @throws IllegalArgumentException if an entry is malformed or there is none
     */
    public static Permissions parse(String text) {
        String trimmed = Objects.requireNonNull(text, "text").trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("permissions need at least the owner entry");
        }
        return new Permissions(java.util.Arrays.stream(trimmed.split("\\s+")).map(Permission::parse).toList());
    }

    /** The owning domain. */
    public int owner() {
        return entries.get(0).domid();
    }

    /** The access of domains without an entry of their own. */
    public Access othersAccess() {
        return entries.get(0).access();
    }

    /** Entries separated by single blanks, e.g. {@code n0 r5}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Permission p : entries) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(p);
        }
        return b.toString();
    }
}
