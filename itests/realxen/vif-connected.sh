#!/bin/bash
# The vif hotplug script the domU lane names in its xl config (script=...): no bridge, no routing, only
# what the toolstack and netback wait for.  libxl runs it with XENBUS_PATH (the vif's backend folder)
# and the action ("online", "offline", "add", "remove") as $1.  Netback connects only once
# hotplug-status is "connected" (Xen's xen-hotplug-common.sh writes it the same way on success).
set -eu
case ${1:-} in
    online|add) xenstore-write "$XENBUS_PATH/hotplug-status" connected ;;
    *) ;;
esac
