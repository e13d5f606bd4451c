#!/bin/bash
# Builds the PV domU's initramfs on the host: busybox, the domU's modules from
# provision.sh, /init from domu-init.sh, a jlinked Java runtime and the job.
# The domU has no share with the host, so everything its job runs is in here.
#
# Usage: domu-initrd.sh JOB_SCRIPT [CLASSPATH_ENTRY...]
#   JOB_SCRIPT       becomes /job/run (run by /init, output on the console)
#   CLASSPATH_ENTRY  jars and class folders, copied to /job/cp/N[.jar];
#                    /job/classpath holds their in-domU class path
#   DOMU_BUNDLES     (environment, optional) a folder of OSGi bundles, copied
#                    to /job/bundles for the domU's Felix (GuestHotSwap)
#
# Prints DOMU_KERNEL=... and DOMU_INITRD=... on stdout.  The runtime is made
# once per JDK ($CACHE/domu-jre); the initramfs is kept under a name made from
# its inputs (paths, sizes, times), so an unchanged build reuses it.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 1 ] || { sed -n '6,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 64; }
job=$(realpath -e "$1")
shift

declare -A lane=()
while IFS='=' read -r key value; do lane[$key]=$value; done <<<"$("$HERE/provision.sh")"
CACHE=$(dirname "${lane[INITRD]}")
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
# What the domU's Java code needs: JNA (jdk.unsupported), java.logging,
# java.xml for Felix SCR's component descriptors, and java.management, which
# the core bundle imports (its MBean) in the domU's Felix.
JRE_MODULES=java.base,java.logging,java.management,java.xml,jdk.unsupported
BUNDLES=${DOMU_BUNDLES:-}
[ -z "$BUNDLES" ] || [ -d "$BUNDLES" ] || { echo "domu-initrd: DOMU_BUNDLES=$BUNDLES is not a folder" >&2; exit 64; }
JRE=$CACHE/domu-jre

log() { echo "domu-initrd: $*" >&2; }

mkdir -p "$CACHE/domu"
exec 8>"$CACHE/domu/.lock"
flock 8

jre_key="$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1) $JRE_MODULES"
if [ "$(cat "$JRE/.key" 2>/dev/null)" != "$jre_key" ]; then
    log "jlink $JRE_MODULES from $JAVA_HOME"
    rm -rf "$JRE"
    # A class-data archive saves seconds of every JVM start under TCG; only
    # the compressed-oops one is used at the domU's heap sizes.
    "$JAVA_HOME/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug \
        --strip-native-debug-symbols=exclude-debuginfo-files --no-header-files --no-man-pages \
        --compress=2 --generate-cds-archive --output "$JRE" >&2
    rm -f "$JRE/lib/server/classes_nocoops.jsa"
    echo "$jre_key" >"$JRE/.key"
fi

inputs() {
    stat -c '%n %s %Y' "$HERE/domu-init.sh" "${BASH_SOURCE[0]}" "$job" "${lane[BUSYBOX]}" "${lane[DOMU_MODULES]}"/* "$JRE/.key" \
        /etc/os-release
    local entry
    for entry in "$@" ${BUNDLES:+"$BUNDLES"}; do
        if [ -d "$entry" ]; then find "$entry" -type f -printf '%p %s %T@\n' | sort
        else stat -c '%n %s %Y' "$entry"; fi
    done
}
key=$(inputs "$@" | sha256sum | cut -c1-16)
initrd=$CACHE/domu/initrd-$key.gz

if ! [ -e "$initrd" ]; then
    log "building $initrd"
    # Only the newest few are worth keeping.
    find "$CACHE/domu" -name 'initrd-*.gz' -printf '%T@ %p\n' | sort -rn | tail -n +4 |
        cut -d' ' -f2- | xargs -r rm -f
    tmp=$(mktemp -d "$CACHE/domu/build.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp"/{bin,sbin,dev,proc,sys,tmp,etc,modules,job/cp}
    # The guest agent publishes the OS it finds here: this host's, whose kernel the domU runs.
    cp -L /etc/os-release "$tmp/etc/os-release"
    cp "${lane[BUSYBOX]}" "$tmp/bin/busybox"
    for applet in $("${lane[BUSYBOX]}" --list); do
        [ "$applet" = busybox ] || ln -s busybox "$tmp/bin/$applet"
    done
    cp "${lane[DOMU_MODULES]}"/* "$tmp/modules/"
    cp "$HERE/domu-init.sh" "$tmp/init"
    cp "$job" "$tmp/job/run"
    chmod 755 "$tmp/init" "$tmp/job/run"
    cp -a "$JRE" "$tmp/jre"
    # The runtime's C libraries (the domU has no other): what ldd resolves for
    # it, plus glibc's stubs that JNA's library may name.
    for lib in $(find "$JRE" -name '*.so' -o -path "$JRE/bin/java" | xargs ldd 2>/dev/null |
                 awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\/lib/) print $i }' | sort -u) \
               /lib/x86_64-linux-gnu/{libdl.so.2,libpthread.so.0,librt.so.1}; do
        [ -e "$lib" ] || continue
        mkdir -p "$tmp$(dirname "$lib")"
        cp -L "$lib" "$tmp$lib"
    done
    n=0 classpath=""
    for entry in "$@"; do
        n=$((n + 1))
        if [ -d "$entry" ]; then cp -a "$entry" "$tmp/job/cp/$n"; classpath+=":/job/cp/$n"
        else cp "$entry" "$tmp/job/cp/$n.jar"; classpath+=":/job/cp/$n.jar"; fi
    done
    echo "${classpath#:}" >"$tmp/job/classpath"
    [ -z "$BUNDLES" ] || cp -a "$BUNDLES" "$tmp/job/bundles"
    (cd "$tmp" && find . -mindepth 1 | "${lane[BUSYBOX]}" cpio -o -H newc -R 0:0 2>/dev/null) |
        gzip -1 >"$initrd.tmp.$$"
    mv -f "$initrd.tmp.$$" "$initrd"
fi
echo "DOMU_KERNEL=${lane[KERNEL]}"
echo "DOMU_INITRD=$initrd"
