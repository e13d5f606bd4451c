package org.jxenbus.itests.sim;

import java.util.List;

/**
 * Every way the differential test departs from comparing the two servers' bytes one for one, and every kind
 * of request it does not send, each with its reason. Nothing else is normalised: replies are compared whole
 * (type, request id, transaction id and payload; transaction ids, generation counts of DIRECTORY_PART and the
 * memory figures of {@code CONTROL quota <domid>} included), and each client's watch events in order.
 */
final class Normalisation {

    /** What is compared differently, and why. */
    static final List<String> RULES = List.of(
            "Watch events are compared per client, in order; the order between events for different clients is not "
                    + "compared: no client can observe it (each has its own stream), and xenstored's own order depends "
                    + "on when its poll loop gets to each connection.",
            "Events are collected after each request by a barrier (GET_DOMAIN_PATH 0 on every client with a watch, "
                    + "answered after all earlier events): both servers queue an event before the reply that "
                    + "follows it, so the barrier makes the comparison independent of timing.");

    /** What is not sent, and why. */
    static final List<String> NOT_SENT = List.of(
            "READ, DIRECTORY, GET_PERMS, MKDIR and RM whose payload is not exactly one NUL-terminated string: "
                    + "xenstored 4.17 answers with a stale errno (whatever an earlier system call or request left, "
                    + "e.g. ENXIO from a dropped event-channel kick, sent as EINVAL), and with errno 0 it sends "
                    + "nothing and dies on an assertion (seen on the test bed after a successful RM).",
            "SET_PERMS of an @ path other than @introduceDomain/@releaseDomain, or from a client not owning it: "
                    + "set_perms_special's error value is dropped and the stale errno answered (see above).",
            "A memory quota lowered so that writes reach it: xenstored answers some of those writes with a stale "
                    + "errno (write_node_raw returns EIO without setting errno).",
            "RESET_WATCHES inside an open transaction: xenstored 4.17 dies on an assertion.",
            "RELEASE of a domain that another introduced domain has SET_TARGET to: the first RELEASE only drops the "
                    + "talloc reference, a second frees the connection the other still points to; xenstored 4.17 "
                    + "then reads freed memory in permission checks and dies when the other domain goes (seen on "
                    + "the test bed: INTRODUCE 1, INTRODUCE 2, SET_TARGET 2 1, RELEASE 1, RELEASE 1, RELEASE 2). "
                    + "The domain that took the target is released first instead.",
            "CONTROL logfile, memreport with a file, live-update -f of an executable: they change the host "
                    + "(trace files, a live-update session); the simulator answers them without doing so.",
            "Outstanding-request and watch-event-timeout quotas: they govern timing (when a ring is read, when an "
                    + "unread event is dropped), which a lock-step run cannot reach; targeted tests cover them.");

    private Normalisation() {
    }
}
