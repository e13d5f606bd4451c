package org.jxenbus.xenstore.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.jxenbus.xenstore.api.PrivilegedOperations;
import org.jxenbus.xenstore.api.ProtocolViolationException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/** The privileged verbs, blocking; payloads as xenstore.txt gives them. */
final class Privileged implements PrivilegedOperations {

    private final AsyncOperations async;
    private final BlockingOperations ops;

    Privileged(AsyncOperations async, BlockingOperations ops) {
        this.async = async;
        this.ops = ops;
    }

    @Override
    public void introduce(int domid, long frame, int eventChannelPort) {
        call(XsMessageType.XS_INTRODUCE, "INTRODUCE " + domid, Integer.toString(checkDomid(domid)),
                Long.toString(frame), Integer.toUnsignedString(eventChannelPort));
    }

    @Override
    public void release(int domid) {
        call(XsMessageType.XS_RELEASE, "RELEASE " + domid, Integer.toString(checkDomid(domid)));
    }

    @Override
    public void resume(int domid) {
        call(XsMessageType.XS_RESUME, "RESUME " + domid, Integer.toString(checkDomid(domid)));
    }

    @Override
    public void setTarget(int domid, int targetDomid) {
        call(XsMessageType.XS_SET_TARGET, "SET_TARGET " + domid + " " + targetDomid,
                Integer.toString(checkDomid(domid)), Integer.toString(checkDomid(targetDomid)));
    }

    @Override
    public boolean isDomainIntroduced(int domid) {
        String d = "IS_DOMAIN_INTRODUCED " + domid;
        String answer = Replies.string(call(XsMessageType.XS_IS_DOMAIN_INTRODUCED, d,
                Integer.toString(checkDomid(domid))), d);
        if (!answer.equals("T") && !answer.equals("F")) {
            throw new ProtocolViolationException(d + ": answer \"" + answer + "\" is neither T nor F", null);
        }
        return answer.equals("T");
    }

    @Override
    public String control(String command, String... arguments) {
        Objects.requireNonNull(command, "command");
        String[] parts = new String[arguments.length + 1];
        parts[0] = command;
        System.arraycopy(arguments, 0, parts, 1, arguments.length);
        byte[] reply = call(XsMessageType.XS_CONTROL, "CONTROL " + command, parts).payload();
        int end = reply.length;
        while (end > 0 && reply[end - 1] == 0) {
            end--;
        }
        return new String(reply, 0, end, StandardCharsets.UTF_8);
    }

    private XsMessage call(XsMessageType type, String description, String... parts) {
        return ops.await(async.call(type, Payloads.strings(parts), description, m -> m), description);
    }

    private static int checkDomid(int domid) {
        if (domid < 0 || domid > 0xFFFF) {
            throw new IllegalArgumentException("domain id out of range 0..65535: " + domid);
        }
        return domid;
    }
}
