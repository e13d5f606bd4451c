package org.jxenbus.itests.osgi.it;

/**
 * JUnit category of tests that reproduce a bug not fixed yet: excluded by default (failsafe's excludedGroups,
 * applied on the driver, so no container is started for them); {@code -Dosgi-it.excludedGroups=none} runs them.
 */
public interface KnownBug {
}
