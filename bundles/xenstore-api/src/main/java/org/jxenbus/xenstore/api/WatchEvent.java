package org.jxenbus.xenstore.api;

import java.util.Objects;

/**
 * One watch event as the server sent it.
 *
 * @param path the node that changed, or the watched path itself for the initial event and when a parent
 *        was removed; relative when the watch path was relative
 * @param token the watch's token
 */
public record WatchEvent(String path, String token) {

    /** Checks both components are present. */
    public WatchEvent {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(token, "token");
    }
}
