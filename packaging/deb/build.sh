#!/usr/bin/env bash
# `npm run package:deb`: aaawatch_<version>_<arch>.deb in the repository root, built with Debian's
# dpkg-deb from a staging tree: the built code and its production dependencies (npm ci
# --omit=dev, the native SQLite module compiled for this machine's Node.js and architecture)
# under /usr/lib/aaawatch, the launcher /usr/bin/aaawatch, the systemd unit, sysusers.d and
# tmpfiles.d entries, /etc/aaawatch/aaawatch.yaml as a conffile, the man page and bash completion
# generated from the command tree, and the maintainer scripts beside this file.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/packaging/deb

for tool in dpkg-deb dpkg objdump gzip; do
  command -v "$tool" >/dev/null || { echo "package:deb needs $tool (apt-get install dpkg-dev binutils)" >&2; exit 1; }
done

VERSION=$(node -p "require('./package.json').version")
ARCH=$(dpkg --print-architecture)
NODE_ABI=$(node -p 'process.versions.modules')
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
# Dates in the package are the commit's, so the same commit builds the same page and file times.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
OUT=$ROOT/aaawatch_${VERSION}_${ARCH}.deb

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STAGE=$WORK/root
LIB=$STAGE/usr/lib/aaawatch
DOC=$STAGE/usr/share/doc/aaawatch

echo "building aaawatch $VERSION for $ARCH, Node.js $NODE_MAJOR (ABI $NODE_ABI)"
npm run build --silent

# The code: compiled JavaScript (no source maps: the TypeScript they point at is not shipped) and
# the stylesheet the web pages serve.
mkdir -p "$LIB/dist"
cp -r dist/src dist/parsers "$LIB/dist/"
find "$LIB/dist" -name '*.map' -delete
mkdir -p "$LIB/dist/src/web/static"
cp src/web/static/* "$LIB/dist/src/web/static/"

# Production dependencies from the lockfile. The package's own scripts (build, test) are left out
# of the staged package.json: npm ci would run `prepare`, and the installed tree builds nothing.
cp package.json package-lock.json "$LIB/"
(cd "$LIB" && npm pkg delete scripts && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
node -e "require('$LIB/node_modules/better-sqlite3')(':memory:').close()" \
  || { echo "the staged better-sqlite3 does not load with this Node.js" >&2; exit 1; }
# What the native modules were built from, not needed to load them.
for m in "$LIB"/node_modules/better-sqlite3 "$LIB"/node_modules/cpu-features; do
  [ -d "$m" ] || continue
  rm -rf "$m/deps" "$m/src" "$m/build/Release/obj" "$m/build/Release/obj.target" "$m/build/Release/.deps" \
    "$m/build/Release/test_extension.node" "$m/build/deps" "$m"/build/*.mk "$m/build/Makefile"
done
find "$LIB/node_modules" \( -name '*.md' -o -name '*.map' -o -name '*.ts' \) -type f -delete

sed -e "s/@NODE_ABI@/$NODE_ABI/" -e "s/@NODE_MAJOR@/$NODE_MAJOR/" "$HERE/launch.cjs" > "$LIB/launch.cjs"
install -D -m 0755 /dev/stdin "$STAGE/usr/bin/aaawatch" < <(sed "s/@NODE_MAJOR@/$NODE_MAJOR/" "$HERE/aaawatch.sh")

install -D -m 0644 systemd/aaawatch.service "$STAGE/usr/lib/systemd/system/aaawatch.service"
install -D -m 0644 "$HERE/sysusers.conf" "$STAGE/usr/lib/sysusers.d/aaawatch.conf"
install -D -m 0644 "$HERE/tmpfiles.conf" "$STAGE/usr/lib/tmpfiles.d/aaawatch.conf"
install -d -m 0750 "$STAGE/etc/aaawatch"
install -m 0640 "$HERE/aaawatch.yaml" "$STAGE/etc/aaawatch/aaawatch.yaml"

# The manual and completion, generated from the command tree now, so they match these commands.
# The compiled generator runs under plain node: under tsx's loader hooks on Node 20 its top-level
# await of the command modules once ended the process with code 13 (unsettled await) in CI.
install -d "$STAGE/usr/share/man/man1" "$STAGE/usr/share/bash-completion/completions"
node dist/packaging/docs/generate.js man | gzip -9n > "$STAGE/usr/share/man/man1/aaawatch.1.gz"
node dist/packaging/docs/generate.js bash > "$STAGE/usr/share/bash-completion/completions/aaawatch"

install -d "$DOC/examples"
install -m 0644 README.md "$DOC/README.md"
install -m 0644 config/*.example.* "$DOC/examples/"
cat > "$DOC/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: aaawatch
License: Apache-2.0

Files: *
License: Apache-2.0
 On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.

Files: usr/lib/aaawatch/node_modules/*
Comment: npm packages, each under the licence in its own folder (LICENSE, package.json).
EOF

# Files root's, readable by all; executables and native modules executable.
find "$STAGE" -type d ! -path "$STAGE/etc/aaawatch" -exec chmod 0755 {} +
find "$STAGE" -type f ! -path "$STAGE/etc/aaawatch/*" -exec chmod u+rw,go+r,go-w {} +
find "$STAGE" -type f -name '*.node' -exec chmod 0755 {} +

# Dependencies the native modules link against: the newest glibc symbol version they use.
GLIBC=$(find "$LIB" -name '*.node' -exec objdump -T {} + | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)

mkdir -p "$STAGE/DEBIAN"
install -m 0755 "$HERE/postinst" "$HERE/prerm" "$HERE/postrm" "$STAGE/DEBIAN/"
echo /etc/aaawatch/aaawatch.yaml > "$STAGE/DEBIAN/conffiles"
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 md5sum | sed 's| \./| |') > "$STAGE/DEBIAN/md5sums"
cat > "$STAGE/DEBIAN/control" <<EOF
Package: aaawatch
Version: $VERSION
Architecture: $ARCH
Maintainer: ${AAAWATCH_DEB_MAINTAINER:-aaawatch maintainers <aaawatch@localhost>}
Section: admin
Priority: optional
Depends: libc6 (>= ${GLIBC:-2.28}), libstdc++6
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Description: who holds which account on which device, and who made it
 A collector appliance: receives syslog (UDP, TCP, TLS) from network devices,
 AAA servers, hosts and clouds, recognises account, command and session
 records, pulls device configurations over SSH, reconciles local accounts
 against an authorised roster, and shows findings and signed exports.
 .
 Runs on Node.js $NODE_MAJOR (20.19 or newer), which this package does not
 install: /usr/bin/aaawatch uses the node on the PATH, or \$AAAWATCH_NODE.
EOF

find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT" >/dev/null
echo "$OUT ($(du -h "$OUT" | cut -f1))"
