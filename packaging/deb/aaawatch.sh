#!/bin/sh
# /usr/bin/aaawatch (Debian package): runs aaawatch with a Node.js that can load it. Node.js is not
# a package dependency (Debian 12's own nodejs is too old, and one installed from a tarball or by
# nvm is invisible to dpkg): the node on the PATH is used, or $AAAWATCH_NODE, and launch.cjs checks its
# version before anything else loads. `exec`, so systemd's main process is node itself.
node="${AAAWATCH_NODE:-}"
if [ -z "$node" ]; then
  node=$(command -v node 2>/dev/null || command -v nodejs 2>/dev/null || true)
fi
if [ -n "${AAAWATCH_NODE:-}" ] && [ ! -x "$node" ]; then
  echo "aaawatch: AAAWATCH_NODE is $AAAWATCH_NODE, which is not an executable file" >&2
  exit 1
fi
if [ -z "$node" ]; then
  echo "aaawatch: Node.js @NODE_MAJOR@ (20.19 or newer) is needed and none was found on the PATH;" >&2
  echo "install it (https://nodejs.org, or NodeSource's nodejs package), or set AAAWATCH_NODE to its node binary" >&2
  exit 1
fi
# Installed as a service, the configuration is the service's unless the caller names another.
if [ -z "${AAAWATCH_CONFIG+set}" ] && [ -e /etc/aaawatch/aaawatch.yaml ]; then
  AAAWATCH_CONFIG=/etc/aaawatch/aaawatch.yaml
  export AAAWATCH_CONFIG
fi
exec "$node" /usr/lib/aaawatch/launch.cjs "$@"
