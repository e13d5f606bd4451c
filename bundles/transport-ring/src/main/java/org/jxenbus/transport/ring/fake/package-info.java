/**
 * The fake hypervisor of shared/FAKE-HYPERVISOR.md, from Java: {@link org.jxenbus.transport.ring.fake.FakeHost}
 * maps a domain's ring file as a {@link org.jxenbus.xenstore.spi.ring.SharedPage}, and
 * {@link org.jxenbus.transport.ring.fake.FakeEventChannels} kicks and waits through the host's FIFOs, as a guest
 * or as xenstored. They interoperate with the real C xenstored on the LD_PRELOAD shim and with each other.
 * Linux only. Not exported.
 */
package org.jxenbus.transport.ring.fake;
