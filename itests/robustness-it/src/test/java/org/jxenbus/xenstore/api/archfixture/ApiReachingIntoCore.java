package org.jxenbus.xenstore.api.archfixture;

import org.jxenbus.xenstore.core.internal.CoreConnectionFactory;

/**
 * A deliberately broken dependency, for LayeringTest to prove its rules bite: an API class that uses the
 * core's internals. Lives in the test sources only; the layering rules' own import excludes test classes.
 */
public final class ApiReachingIntoCore {

    private ApiReachingIntoCore() {
    }

    /** Uses the core, which the API must not know. */
    public static Class<?> leak() {
        return CoreConnectionFactory.class;
    }
}
