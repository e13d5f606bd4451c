package org.jxenbus.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 wrapper of {@link FakeXenHost}: one real xenstored per test class, started before the first
 * test and stopped (by pid) after the last. Test methods, constructors and {@code @BeforeAll} methods
 * receive the host as a {@link FakeXenHost} parameter.
 */
public final class XenstoredExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(XenstoredExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        host(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FakeXenHost.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return host(context);
    }

    private static FakeXenHost host(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NS).getOrComputeIfAbsent("host", k -> new CloseableHost(FakeXenHost.start()),
                CloseableHost.class).host;
    }

    /** Stored in the class's context so JUnit closes it after the class. */
    private record CloseableHost(FakeXenHost host) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            host.close();
        }
    }
}
