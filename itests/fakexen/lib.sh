# Helpers shared by xenstored-up.sh and xenstored-down.sh (sourced).

# True while process $1 exists and is not a zombie (kill -0 succeeds on one).
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat:0:1}" != Z ]
}

# True if process $1 is the xenstored started for folder $2 (guards against a
# recycled pid: the shim's FAKEXEN_DIR is in its environment).
serves_folder() {
    alive "$1" && grep -qzxF "FAKEXEN_DIR=$2" "/proc/$1/environ" 2>/dev/null
}
