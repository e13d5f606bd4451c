#!/bin/bash
# The README's "run" command: the jxenbus OSGi runtime (distribution/target/jxenbus/bin/jxenbus: Apache Felix,
# the jxenbus bundles, the Gogo shell), built first if missing. It uses the xenstore it finds (xenstored's
# socket, else the xenbus device) and, where there is no Xen, the embedded simulator, saying so in one line.
#
#   distribution/run.sh                      on a terminal: the Gogo shell; try xs:ls /, xs:stat, lb; stop with
#                                            Ctrl-D or 'stop 0'
#   distribution/run.sh 'xs:ls /' 'xs:stat'  runs those Gogo command lines once the store is up, then stops
#
# Without arguments and without a terminal it runs a short demo the same way. The runtime's own folders
# (bundle cache, JNA's library) are in distribution/target/jxenbus/runtime; its configuration is
# distribution/target/jxenbus/config (a copy of config/ in the repository).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
HOME_DIR=$ROOT/distribution/target/jxenbus
JXENBUS=$HOME_DIR/bin/jxenbus
READY_SECONDS=120

if [ ! -x "$JXENBUS" ] || [ ! -r "$HOME_DIR/conf/config.properties" ]; then
    echo "run.sh: building jxenbus (mvn -B -q install -DskipTests) ..." >&2
    (cd "$ROOT" && mvn -B -q install -DskipTests)
fi

if [ $# -eq 0 ] && [ -t 0 ]; then
    echo "run.sh: starting $JXENBUS; try: xs:ls /   xs:stat   lb   (stop: Ctrl-D)" >&2
    exec "$JXENBUS"
fi

commands=("$@")
if [ ${#commands[@]} -eq 0 ]; then
    commands=('xs:stat' 'xs:write /demo/greeting hello' 'xs:mkdir /demo/vm' 'xs:ls /demo' 'xs:read /demo/greeting')
fi

work=$(mktemp -d)
mkfifo "$work/console"
# stderr (the runtime's log) goes to the terminal and to a file, where the store's announcement is looked for.
"$JXENBUS" <"$work/console" >"$work/stdout" 2> >(tee "$work/stderr" >&2) &
runtime=$!
exec 3>"$work/console"

cleanup() {
    exec 3>&- || true
    if kill -0 "$runtime" 2>/dev/null; then
        kill -TERM "$runtime" 2>/dev/null || true
        wait "$runtime" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The core logs one line when XenstoreService comes up: "connected to URI" or "using the EMBEDDED SIMULATOR".
for ((i = 0; i < READY_SECONDS * 10; i++)); do
    if grep -q -e 'xenstore: connected to' -e 'EMBEDDED SIMULATOR' "$work/stderr" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$runtime" 2>/dev/null; then
        echo "run.sh: the runtime stopped before a xenstore was up" >&2
        exit 1
    fi
    sleep 0.1
done
# The shell's commands register right after XenstoreService; 'type' answers once they are there.
for ((i = 0; i < 50; i++)); do
    from=$(wc -l <"$work/stdout")
    printf 'type xs:ls\necho @@probe-%d@@\n' "$i" >&3
    until grep -q "@@probe-$i@@" "$work/stdout" 2>/dev/null; do sleep 0.1; done
    if ! tail -n +"$((from + 1))" "$work/stdout" | grep -q -e 'CommandNotFoundException' -e 'not found'; then
        break
    fi
    sleep 0.2
done
before=$(wc -l <"$work/stdout")

for c in "${commands[@]}"; do
    printf 'echo "g! %s"\n%s\n' "${c//\"/\\\"}" "$c" >&3
done
exec 3>&-
wait "$runtime" || true
# What the commands printed, without Gogo's prompts.
tail -n +"$((before + 1))" "$work/stdout" | sed -e 's/^\(g! \)*//' | grep -v -e '^$' -e 'gosh: stopping shell'
