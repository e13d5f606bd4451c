package org.jxenbus.guest.agent.internal.linux;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jxenbus.guest.agent.OsFacts;

/**
 * os-release(5) as xe-guest-utilities' {@code identify_os_release} (mk/xe-linux-distribution) turns it into
 * {@code os_*}: {@code os_distro} = {@code ID}; {@code os_majorver} and {@code os_minorver} from {@code VERSION_ID}
 * by {@code ^\([0-9]*\)\.\?\([0-9]*\).*$}, each {@code unknown} when empty; {@code os_name} = {@code PRETTY_NAME}.
 * The script {@code source}s the file; this reads the same shell-quoted assignments os-release(5) allows.
 */
final class OsRelease {

    private static final Pattern VERSION = Pattern.compile("^([0-9]*)\\.?([0-9]*).*$");
    private static final String UNKNOWN = "unknown";

    private OsRelease() {
    }

    static OsFacts facts(List<String> lines, String uname) {
        Map<String, String> vars = parse(lines);
        String major = "";
        String minor = "";
        Matcher m = VERSION.matcher(vars.getOrDefault("VERSION_ID", ""));
        if (m.matches()) {
            major = m.group(1);
            minor = m.group(2);
        }
        return new OsFacts(vars.getOrDefault("ID", ""), major.isEmpty() ? UNKNOWN : major,
                minor.isEmpty() ? UNKNOWN : minor, vars.getOrDefault("PRETTY_NAME", ""), uname);
    }

    /** {@code KEY=value} lines; values unquoted as a shell would (double quotes keep {@code \"}, {@code \\}...). */
    static Map<String, String> parse(List<String> lines) {
        Map<String, String> vars = new HashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0) {
                continue;
            }
            vars.put(line.substring(0, eq), unquote(line.substring(eq + 1)));
        }
        return vars;
    }

    private static String unquote(String value) {
        StringBuilder out = new StringBuilder(value.length());
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (c == '\\' && quote != '\'' && i + 1 < value.length()) {
                out.append(value.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
