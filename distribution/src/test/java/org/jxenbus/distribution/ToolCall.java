package org.jxenbus.distribution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One command line to run on both sides: {@code argv} starts with the bare tool name, found through
 * {@code PATH} as a shell would (so the tool sees exactly that {@code argv[0]}).
 *
 * @param argv the command line, e.g. {@code xenstore-read /p/empty}
 * @param environment variables to set (a {@code null} value removes one) on top of the bench's
 * @param triggers for watches: writes made while the tool runs, each once its stdout has enough lines
 */
record ToolCall(List<String> argv, Map<String, String> environment, List<Trigger> triggers) {

    /** After {@code afterLines} lines of stdout, run the real {@code xenstore-write} with {@code writeArgs}. */
    record Trigger(int afterLines, List<String> writeArgs) {
    }

    ToolCall {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        triggers = List.copyOf(triggers);
    }

    /** A plain command line. */
    static ToolCall of(String... argv) {
        return new ToolCall(List.of(argv), Map.of(), List.of());
    }

    /** The same command line with one more environment variable. */
    ToolCall withEnv(String name, String value) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(name, value);
        return new ToolCall(argv, env, triggers);
    }

    /** The same command line with a write made once stdout has {@code afterLines} lines. */
    ToolCall thenWrite(int afterLines, String... writeArgs) {
        List<Trigger> t = new ArrayList<>(triggers);
        t.add(new Trigger(afterLines, List.of(writeArgs)));
        return new ToolCall(argv, environment, t);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        environment.forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
        b.append(String.join(" ", argv));
        triggers.forEach(t -> b.append(" [after ").append(t.afterLines()).append(" lines: write ")
                .append(String.join(" ", t.writeArgs())).append(']'));
        return b.toString();
    }
}
