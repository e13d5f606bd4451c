package org.jxenbus.guest.agent.internal;

import java.util.List;

/**
 * What one publication changed, as paths relative to the domain's home ({@code data/updated} not counted).
 *
 * @param written nodes written because their value was new or different
 * @param removed nodes removed because the guest no longer has what they said
 */
public record Changes(List<String> written, List<String> removed) {

    /** Copies the lists. */
    public Changes {
        written = List.copyOf(written);
        removed = List.copyOf(removed);
    }

    /** Whether anything was written or removed. */
    public boolean any() {
        return !written.isEmpty() || !removed.isEmpty();
    }
}
