#!/usr/bin/env bash
# The .deb as an admin gets it: cpack packs the current build (no rebuild),
# the package unpacks into a clean root with the usual layout and modes
# (binary 0755, nothing world-writable, all root-owned), its Depends names
# the package of every shared library the binary needs, and the installed
# binary runs on its own: --version, its man page, its completions, and
# `fleetk8s up` on a sandbox fleet (its own, net 94) with the source and build
# trees hidden (a private mount namespace), so only the installed playbooks
# can be found; a lone copy of the binary says where it looked.
# Usage: package-test.sh BUILD_DIR SOURCE_DIR SANDBOX_FLEET_SCRIPT
set -uo pipefail
build=$(realpath "$1") src=$(realpath "$2") fleet=$(realpath "$3")
work=$(mktemp -d)
dir=$work/fleet
trap '"$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
. "$(dirname "$0")/../integration/lib.sh"
export XDG_STATE_HOME=$work/state

# Pack what is built, without building: before installing, cpack builds the
# Makefile generator's "preinstall" target (all of the build, tests too);
# naming the Ninja generator, which has none, skips that step.
start=$SECONDS
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" -D CPACK_CMAKE_GENERATOR=Ninja >"$work/out" 2>&1
echo $? >"$work/rc"
deb=$(ls "$work"/pkg/fleetk8s_*.deb 2>/dev/null | head -1)
check "cpack -G DEB: a .deb in $((SECONDS - start)) s" "[ \$(rc) = 0 ] && [ -f '$deb' ] && [ $((SECONDS - start)) -lt 120 ]"
[ -f "$deb" ] || { finish; exit 1; }
dpkg-deb -I "$deb" >"$work/out" 2>&1
check "control: package fleetk8s, section admin" "has '^ Package: fleetk8s$' && has '^ Section: admin$'"

# Depends: for each shared library the binary needs (libssh2 only when it is
# linked shared), its package or a name that package provides (spdlog's
# shlibs ask for libspdlog1.10-fmt9).
depends=$(dpkg-deb -f "$deb" Depends)
echo "# Depends: $depends"
depends_names=$(echo "$depends" | tr ',|' '\n\n' | sed 's/^ *//; s/[ (].*//')  # one name a line
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
missing=""
for lib in $(objdump -p "$build/src/cli/fleetk8s" | awk '$1 == "NEEDED" { print $2 }'); do
  pkg=$(dpkg -S "*/$multiarch/$lib" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$pkg" ] || { missing+=" $lib(no package)"; continue; }
  names="$pkg $(dpkg-query -W -f '${Provides}' "$pkg" | sed 's/([^)]*)//g; s/,/ /g')"
  found=""
  for name in $names; do echo "$depends_names" | grep -xF "$name" >/dev/null && found=1; done
  [ -n "$found" ] || missing+=" $lib($pkg)"
done
check "Depends names the package of every NEEDED library${missing:+: missing$missing}" "[ -n \"\$depends\" ] && [ -z \"\$missing\" ]"
check "Depends names libc6 with a version" "echo \"\$depends\" | grep -E 'libc6 \(>= ' >/dev/null"

# The archive itself: owners and modes.
dpkg-deb -c "$deb" >"$work/listing"
check "every entry is root/root" "! awk '\$2 != \"root/root\"' '$work/listing' | grep . >/dev/null"
check "nothing is world-writable" "! awk '\$1 ~ /^[-d]......[-r].w/' '$work/listing' | grep . >/dev/null"
check "the binary is 0755 (-rwxr-xr-x)" "grep -qE '^-rwxr-xr-x .* \./usr/bin/fleetk8s$' '$work/listing'"

root=$work/root
dpkg -x "$deb" "$root"
for f in usr/bin/fleetk8s usr/share/fleetk8s/playbooks/prepare.yml usr/share/fleetk8s/playbooks/vars/defaults.yml \
         usr/share/fleetk8s/playbooks/templates usr/share/doc/fleetk8s/examples/example.ini \
         usr/share/doc/fleetk8s/examples/example.yml usr/share/man/man1/fleetk8s.1.gz \
         usr/share/bash-completion/completions/fleetk8s usr/share/zsh/vendor-completions/_fleetk8s; do
  check "installed: /$f" "[ -e '$root/$f' ]"
done
check "every playbook of the source tree is installed" "diff -r '$src/playbooks' '$root/usr/share/fleetk8s/playbooks' >/dev/null"
check "installed: binary 0755, nothing world-writable" \
  "[ \$(stat -c %a '$root/usr/bin/fleetk8s') = 755 ] && [ -z \"\$(find '$root' -perm -0002 ! -type l)\" ]"
check "the installed binary is stripped" "! objdump -h '$root/usr/bin/fleetk8s' | grep '\.debug_info' >/dev/null"

ibin=$root/usr/bin/fleetk8s
check "installed fleetk8s --version is the build's" "[ \"\$('$ibin' --version)\" = \"\$('$build/src/cli/fleetk8s' --version)\" ] && '$ibin' --version | grep '^fleetk8s [0-9]' >/dev/null"
zcat "$root/usr/share/man/man1/fleetk8s.1.gz" >"$work/fleetk8s.1"
MANWIDTH=100 man --warnings -l "$work/fleetk8s.1" >"$work/out" 2>"$work/man-warnings"
check "the man page renders without warnings" "[ ! -s '$work/man-warnings' ] && has '^NAME' && has 'fleetk8s - agentless'"
subs=$("$ibin" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
nosection=""
for s in $subs; do grep -q "^\.SS \"fleetk8s $s\"" "$work/fleetk8s.1" || nosection+=" $s"; done
check "the man page has a section for every subcommand${nosection:+: missing$nosection}" "[ -n \"\$subs\" ] && [ -z \"\$nosection\" ]"
check "the man page lists up's --skip-preflight and the playbook lookup" "has 'skip-preflight' && has 'FLEETK8S_PLAYBOOK_DIR'"
check "the installed bash completion is \`fleetk8s completion bash\`" \
  "cmp -s '$root/usr/share/bash-completion/completions/fleetk8s' <('$ibin' completion bash)"
"$(dirname "$0")/completion-test.sh" "$ibin" >"$work/out" 2>&1; echo $? >"$work/rc"
sed 's/^/  completion: /' "$work/out"
check "the installed binary's completions pass completion-test.sh" "[ \$(rc) = 0 ]"

# Hidden: the source and build trees, under empty file systems in a private
# mount namespace, so nothing of them is reachable by the lookup.
hidden() { unshare --mount --propagation private sh -c 'mount -t tmpfs -o ro none "$2" && mount -t tmpfs -o ro none "$1" && shift 2 && cd "$1" && shift && exec "$@"' sh "$src" "$build" "$@"; }
mkdir -p "$work/lone/bin" && cp "$ibin" "$work/lone/bin/fleetk8s"
"$fleet" up --net 94 --port 2494 4 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
hidden "$work" "$work/lone/bin/fleetk8s" up "$dir/inventory.ini" >"$work/out" 2>&1; echo $? >"$work/rc"
check "the binary alone, trees hidden: exit 1, says where it looked" \
  "[ \$(rc) = 1 ] && has 'playbooks are not installed \(looked in $work/lone/share/fleetk8s/playbooks, $src/playbooks\)'"
hidden "$work" "$ibin" up "$dir/inventory.ini" >"$work/out" 2>&1; echo $? >"$work/rc"
check "installed fleetk8s up, trees hidden: exit 0, 4 nodes Ready" "[ \$(rc) = 0 ] && has 'every node is Ready \(4\)'"
check "the kubeconfig is written 0600" "[ \$(stat -c %a '$work/kubernetes.kubeconfig') = 600 ]"
finish
