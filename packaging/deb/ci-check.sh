#!/usr/bin/env bash
# CI, after `npm run package:deb`: install the package on this machine with apt, run the installed
# aaawatch as its own user (not through systemd: CI machines run none), send it a syslog line with
# util-linux logger, check the line is stored and counted (stats, verify, /metrics, /healthz) and
# the store's mode, stop it, then remove and purge the package and check what each leaves behind.
# Run as root or with sudo; any failure fails CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# As the service's user: setpriv execs in place (so the pid is aaawatch's own); sudo otherwise.
if [ -z "$SUDO" ]; then AS_AAAWATCH=(setpriv --reuid=aaawatch --regid=aaawatch --init-groups); else AS_AAAWATCH=(sudo -u aaawatch); fi
export DEBIAN_FRONTEND=noninteractive

deb=$(ls -t aaawatch_*.deb | head -1)
work=$(mktemp -d)
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && $SUDO kill "$serve_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "package check FAILED: $*" >&2
  [ -f "$work/serve.log" ] && sed 's/^/  serve: /' "$work/serve.log" >&2
  exit 1
}

echo "== apt-get install ./$deb"
$SUDO apt-get install -y -qq "./$deb" >/dev/null
getent passwd aaawatch >/dev/null || fail "the aaawatch user was not created"
[ "$(stat -c '%a %U:%G' /var/lib/aaawatch)" = "750 aaawatch:aaawatch" ] || fail "/var/lib/aaawatch is $(stat -c '%a %U:%G' /var/lib/aaawatch)"
[ "$(stat -c '%a %U:%G' /etc/aaawatch/aaawatch.yaml)" = "640 root:aaawatch" ] || fail "aaawatch.yaml is $(stat -c '%a %U:%G' /etc/aaawatch/aaawatch.yaml)"
/usr/bin/aaawatch --version | grep -qx "$(node -p "require('./package.json').version")" || fail "aaawatch --version"
"${AS_AAAWATCH[@]}" /usr/bin/aaawatch check >/dev/null || fail "aaawatch check of the installed configuration"
zcat /usr/share/man/man1/aaawatch.1.gz | grep -q '^\.TH AAAWATCH 1' || fail "the man page"
[ -s /usr/share/bash-completion/completions/aaawatch ] || fail "the bash completion"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify aaawatch.service || fail "systemd-analyze verify aaawatch.service"
fi

# An upgrade over itself keeps an edited conffile (dpkg's conffile handling, not overwritten).
echo "== apt-get install --reinstall keeps the edited configuration"
echo "# edited by the package check" | $SUDO tee -a /etc/aaawatch/aaawatch.yaml >/dev/null
$SUDO apt-get install -y -qq --reinstall -o Dpkg::Options::=--force-confold "./$deb" >/dev/null
tail -1 /etc/aaawatch/aaawatch.yaml | grep -qx '# edited by the package check' || fail "reinstalling replaced the edited /etc/aaawatch/aaawatch.yaml"
[ "$(stat -c '%a %U:%G' /etc/aaawatch/aaawatch.yaml)" = "640 root:aaawatch" ] || fail "after reinstalling, aaawatch.yaml is $(stat -c '%a %U:%G' /etc/aaawatch/aaawatch.yaml)"

# The installed configuration listens on 514, which needs the unit's capability: the same with
# unprivileged ports, as the aaawatch user, in its home. Ports free now, not fixed ones (another
# collector on this machine may hold 5514).
read -r port web < <(node -e '
const net = require("node:net");
const free = () => new Promise((resolve) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });
(async () => { const a = await free(); let b; do b = await free(); while (b === a); console.log(a, b); })();
')
config=$work/aaawatch.yaml
sed -e "s/port: 514\b/port: $port/" -e "s/port: 8080/port: $web/" /etc/aaawatch/aaawatch.yaml > "$config"
chmod 0644 "$config"
chmod 0755 "$work"
# The store outlives remove and purge (postrm), so a machine that ran this check before holds its
# counters: what this run must add is measured against what was there.
stats_before='{"counters":{}}'
if [ -f /var/lib/aaawatch/aaawatch.db ]; then
  stats_before=$("${AS_AAAWATCH[@]}" /usr/bin/aaawatch stats --json --config "$config") || fail "aaawatch stats of the store kept from an earlier install"
fi
echo "== aaawatch serve as the aaawatch user"
(cd /var/lib/aaawatch && exec "${AS_AAAWATCH[@]}" /usr/bin/aaawatch serve --config "$config") > "$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 300); do
  grep -q 'web interface on' "$work/serve.log" && break
  kill -0 "$serve_pid" 2>/dev/null || fail "serve exited"
  sleep 0.2
done
grep -q 'web interface on' "$work/serve.log" || fail "serve did not start"

logger --udp -n 127.0.0.1 -P "$port" --rfc3164 -t ci "package check"
# A device's own line over TCP (logger would put its own header before it).
printf '<189>81: ci-r1: .Nov 21 2026 22:10:01.123 UTC: %%PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username ci privilege 15 secret 0 NotStored1\n' \
  > "/dev/tcp/127.0.0.1/$port" || fail "sending over TCP"

# /metrics and /healthz from loopback, without signing in.
node -e '
const [web] = process.argv.slice(1);
const deadline = Date.now() + 30000;
(async () => {
  for (;;) {
    const text = await (await fetch(`http://127.0.0.1:${web}/metrics`)).text();
    if (/^aaawatch_received_messages_total\{transport="udp"\} 1$/m.test(text) && /^aaawatch_recognised_records_total [1-9]/m.test(text)) break;
    if (Date.now() > deadline) { console.error(text); process.exit(1); }
    await new Promise((r) => setTimeout(r, 200));
  }
  const h = await fetch(`http://127.0.0.1:${web}/healthz`);
  const body = await h.json();
  if (h.status !== 200 || body.status !== "pass") { console.error(JSON.stringify(body)); process.exit(1); }
})();
' "$web" || fail "/metrics or /healthz"

$SUDO kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve did not stop cleanly"
serve_pid=""

stats=$("${AS_AAAWATCH[@]}" /usr/bin/aaawatch stats --json --config "$config")
node -e '
const after = JSON.parse(process.argv[1]).counters;
const before = JSON.parse(process.argv[2]).counters;
const added = (k) => (after[k] ?? 0) - (before[k] ?? 0);
if (added("received.udp") !== 1 || !(added("received.tcp") >= 1) || !(added("recognised.records") >= 1)) { console.error(JSON.stringify({ before, after })); process.exit(1); }
' "$stats" "$stats_before" || fail "aaawatch stats: the lines sent are not counted"
"${AS_AAAWATCH[@]}" /usr/bin/aaawatch verify --config "$config" | grep -q '^chain OK: [1-9]' || fail "aaawatch verify"
[ "$(stat -c '%a %U' /var/lib/aaawatch/aaawatch.db)" = "640 aaawatch" ] || fail "aaawatch.db is $(stat -c '%a %U' /var/lib/aaawatch/aaawatch.db)"
$SUDO grep -q NotStored1 /var/lib/aaawatch/aaawatch.db* && fail "a secret reached the store"

echo "== apt-get remove"
$SUDO apt-get remove -y -qq aaawatch >/dev/null
[ ! -e /usr/bin/aaawatch ] || fail "remove left /usr/bin/aaawatch"
[ -f /var/lib/aaawatch/aaawatch.db ] || fail "remove took the store"
[ -f /etc/aaawatch/aaawatch.yaml ] || fail "remove took the configuration"
echo "== apt-get purge"
$SUDO apt-get purge -y -qq aaawatch >/dev/null
[ ! -e /etc/aaawatch ] || fail "purge left /etc/aaawatch"
[ -f /var/lib/aaawatch/aaawatch.db ] || fail "purge took the store"
dpkg -s aaawatch >/dev/null 2>&1 && fail "the package is still known to dpkg"
echo "package check passed: installed, served, stored, removed, purged"
