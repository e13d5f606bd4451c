/**
 * The guest agent's seams: what a guest supplies so the agent can publish it where existing toolstacks read it
 * ({@link org.jxenbus.guest.agent.GuestFacts}), and how a guest whose kernel does not act on
 * {@code control/shutdown} plugs its own handler in ({@link org.jxenbus.guest.agent.ShutdownHandler}).
 *
 * <p>Both are whiteboard services: register an implementation and the agent's components pick it up. The agent
 * itself (paths, units, change detection, refresh) is internal; docs/guest-agent.md pins every path and unit to
 * the xe-guest-utilities and xen-guest-agent sources.
 */
@Export
@Version("1.0.0")
package org.jxenbus.guest.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
