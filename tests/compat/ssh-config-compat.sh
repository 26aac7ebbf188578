#!/usr/bin/env bash
# Compares fleetk8s' reading of ssh_config files with OpenSSH's own.
#
#   tests/compat/ssh-config-compat.sh LOOKUP_BIN
#
# For every tests/data/sshconfig/*.conf (and the captured `vagrant ssh-config`
# output in tests/data/vagrant/) and each host on its `# compat-hosts:` line,
# runs `ssh -G -F FILE HOST` and `LOOKUP_BIN FILE HOST`
# (tests/tools/ssh_config_lookup.cpp) and compares the settings fleetk8s
# honours. Every invalid-*.conf must be refused by both. $HOME is
# tests/data/sshconfig/home, so relative Includes land in its .ssh/.
# Prints "N passed, M failed"; exits 1 if anything failed, 2 if it cannot run.
set -u

if [ $# -ne 1 ]; then
  echo "usage: $0 LOOKUP_BIN" >&2
  exit 2
fi
bin=$1
if ! command -v ssh >/dev/null 2>&1; then
  echo "ssh-config-compat: the OpenSSH client (ssh) is not installed" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/tests/data/sshconfig
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$data/home
passed=0 failed=0

keys='^(hostname|user|port|identityfile|identitiesonly|userknownhostsfile|stricthostkeychecking|proxyjump|proxycommand|connecttimeout) '
# ssh lists its default key files when the configuration names none.
defaults='identityfile ~/.ssh/id_rsa
identityfile ~/.ssh/id_ecdsa
identityfile ~/.ssh/id_ecdsa_sk
identityfile ~/.ssh/id_ed25519
identityfile ~/.ssh/id_ed25519_sk
identityfile ~/.ssh/id_xmss
identityfile ~/.ssh/id_dsa'

openssh() {  # openssh FILE HOST: ssh -G's lines for the keys compared, in our order
  ssh -G -F "$1" "$2" </dev/null 2>"$work/ssh.err" | grep -E "$keys" >"$work/ssh.raw" || return 1
  local ids
  ids=$(grep '^identityfile ' "$work/ssh.raw")
  for k in hostname user port; do grep "^$k " "$work/ssh.raw"; done
  if [ "$ids" = "$defaults" ]; then echo "identityfile (default)"; else echo "$ids"; fi
  for k in identitiesonly userknownhostsfile stricthostkeychecking proxyjump proxycommand connecttimeout; do
    grep "^$k " "$work/ssh.raw"
  done
  return 0
}

compare() {  # compare FILE HOST
  local file=$1 host=$2 name
  name="$(basename "$file") $host"
  if ! openssh "$file" "$host" >"$work/expected"; then
    failed=$((failed + 1)); echo "FAILED - $name: ssh -G failed: $(cat "$work/ssh.err")"; return
  fi
  if ! "$bin" "$file" "$host" >"$work/actual" 2>"$work/err"; then
    failed=$((failed + 1)); echo "FAILED - $name: fleetk8s refused it: $(cat "$work/err")"; return
  fi
  if diff -u "$work/expected" "$work/actual" >"$work/diff"; then
    passed=$((passed + 1)); echo "ok - $name"
  else
    failed=$((failed + 1)); echo "FAILED - $name (--- ssh -G, +++ fleetk8s)"; sed 's/^/    /' "$work/diff"
  fi
}

for file in "$data"/*.conf "$root/tests/data/vagrant/ssh-config.txt"; do
  case $(basename "$file") in invalid-*) continue ;; esac
  hosts=$(sed -n 's/^# compat-hosts: *//p' "$file")
  [ -n "$hosts" ] || hosts=$(awk '$1 == "Host" { print $2 }' "$file")
  for host in $hosts; do compare "$file" "$host"; done
done

for file in "$data"/invalid-*.conf; do
  name=$(basename "$file")
  ssh -G -F "$file" x </dev/null >/dev/null 2>&1; ssh_rc=$?
  "$bin" "$file" x >/dev/null 2>"$work/err"; our_rc=$?
  if [ "$ssh_rc" != 0 ] && [ "$our_rc" != 0 ]; then
    passed=$((passed + 1)); echo "ok - $name refused by both: $(cat "$work/err")"
  else
    failed=$((failed + 1)); echo "FAILED - $name: ssh exit $ssh_rc, fleetk8s exit $our_rc"
  fi
done

echo "# $passed passed, $failed failed"
[ "$failed" = 0 ]
