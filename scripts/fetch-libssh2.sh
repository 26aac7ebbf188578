#!/usr/bin/env bash
# Fetches libssh2 1.11 from Debian 13's source package and builds it as a
# static library with the machine's OpenSSL, for machines whose own libssh2
# is older (Debian 12 has 1.10, which cannot sign with rsa-sha2-256/512).
#
#   scripts/fetch-libssh2.sh        fetch and build once; prints the install prefix
#
# Everything lives in .deps/libssh2/ of the repository (gitignored):
#   apt/      a private apt configuration: one deb-src entry for trixie, its lists and cache
#   src/      the downloaded .dsc and tarballs, and the unpacked source
#   install/  include/ and lib/libssh2.a, what cmake/Libssh2.cmake links
# The machine's apt sources (/etc/apt) are only read, never changed. apt checks
# the downloaded files against trixie's signed Release file. Idempotent: a
# finished install returns at once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deps=$root/.deps/libssh2
prefix=$deps/install
stamp=$prefix/.fleetk8s-built
readonly SUITE=trixie WANT=1.11

if [[ -f $stamp ]]; then
  echo "$prefix"
  exit 0
fi
for tool in apt-get dpkg-source cmake cc; do
  command -v "$tool" >/dev/null || { echo "fetch-libssh2: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

# The same mirror and keyring as the machine's own Debian entry.
uri=$(apt-get indextargets --format '$(REPO_URI) $(LABEL)' 2>/dev/null | awk '$2 == "Debian" { print $1; exit }')
uri=${uri:-http://deb.debian.org/debian/}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

mkdir -p "$deps/apt/sources.list.d" "$deps/apt/lists/partial" "$deps/apt/cache/archives/partial" "$deps/src"
cat >"$deps/apt/sources.list.d/$SUITE-src.sources" <<EOF
Types: deb-src
URIs: $uri
Suites: $SUITE
Components: main
Signed-By: $keyring
EOF
apt_private=(
  -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$deps/apt/sources.list.d"
  -o "Dir::State::Lists=$deps/apt/lists" -o "Dir::Cache=$deps/apt/cache"
  -o APT::Sandbox::User=root -q
)
echo "fetch-libssh2: fetching the libssh2 source package of Debian $SUITE from $uri" >&2
apt-get "${apt_private[@]}" update >/dev/null
(cd "$deps/src" && apt-get "${apt_private[@]}" source --download-only libssh2 >/dev/null)

dsc=$(ls -t "$deps/src"/libssh2_*.dsc | head -n1)
version=$(awk '$1 == "Version:" { print $2 }' "$dsc")
upstream=${version%%-*}
[[ $upstream == "$WANT" || $upstream == "$WANT".* ]] ||
  { echo "fetch-libssh2: Debian $SUITE has libssh2 $version, expected $WANT.x" >&2; exit 1; }
srcdir=$deps/src/libssh2-$upstream
rm -rf "$srcdir"
# Unpacked with Debian's patches applied (what Debian ships). apt has already
# checked the files against the signed index; dpkg-source checks them again.
dpkg-source -x "$dsc" "$srcdir" >"$deps/unpack.log" 2>&1 || { cat "$deps/unpack.log" >&2; exit 1; }

build=$deps/build
log=$deps/build.log
rm -rf "$build" "$prefix"
echo "fetch-libssh2: building libssh2 $version (log: $log)" >&2
{
  cmake -S "$srcdir" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DCRYPTO_BACKEND=OpenSSL -DENABLE_ZLIB_COMPRESSION=ON \
    -DBUILD_EXAMPLES=OFF -DBUILD_TESTING=OFF -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib &&
    cmake --build "$build" -j "${JOBS:-2}" &&
    cmake --install "$build"
} >"$log" 2>&1 || { tail -n 30 "$log" >&2; echo "fetch-libssh2: the build failed (log: $log)" >&2; exit 1; }
echo "$version" >"$stamp"
echo "fetch-libssh2: libssh2 $version built into $prefix" >&2
echo "$prefix"
