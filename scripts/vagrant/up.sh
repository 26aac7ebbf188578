#!/usr/bin/env bash
# Brings up the Vagrant rig (./Vagrantfile: cp1, worker01, worker02 on Rocky
# Linux 8) and installs Kubernetes on it with `fleetk8s up`.
#
#   scripts/vagrant/up.sh [--provider virtualbox|libvirt] [--inventory-only] [-- FLEETK8S_UP_ARGS...]
#
#   1. vagrant up
#   2. vagrant ssh-config | fleetk8s inventory from-ssh-config - : one host per
#      machine; Vagrant switches host-key checking off, the inventory instead
#      trusts each key on first use and keeps it in the rig's known_hosts;
#   3. node_ip=<private address> (./nodes) on every host line: Kubernetes
#      uses the private network, not the 127.0.0.1 port forwards;
#   4. fleetk8s up inventory.ini (skipped with --inventory-only).
#
# The rig's files (inventory.ini, known_hosts, kubernetes.kubeconfig) go to
# $FLEETK8S_RIG_DIR (default scripts/vagrant/.rig). fleetk8s is $FLEETK8S,
# else build/src/cli/fleetk8s, else the one on PATH. Tear down: down.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rig=${FLEETK8S_RIG_DIR:-$here/.rig}
provider=()
inventory_only=false
up_args=()

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "up.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    --provider) [ $# -ge 2 ] || die "--provider needs virtualbox or libvirt"; provider=(--provider "$2"); shift 2 ;;
    --provider=*) provider=(--provider "${1#*=}"); shift ;;
    --inventory-only) inventory_only=true; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; up_args=("$@"); break ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

if ! command -v vagrant >/dev/null 2>&1; then
  die "vagrant is not installed. Install Vagrant (https://developer.hashicorp.com/vagrant/install) and a
provider: VirtualBox, or libvirt with 'vagrant plugin install vagrant-libvirt'. The rig needs 3 VMs with
2 CPUs and 4 GiB each (12 GiB of memory in all)."
fi
fleetk8s=${FLEETK8S:-}
if [ -z "$fleetk8s" ]; then
  if [ -x "$root/build/src/cli/fleetk8s" ]; then fleetk8s=$root/build/src/cli/fleetk8s
  elif command -v fleetk8s >/dev/null 2>&1; then fleetk8s=$(command -v fleetk8s)
  else die "fleetk8s not found: build it first (scripts/build.sh) or set FLEETK8S=/path/to/fleetk8s"; fi
fi

export VAGRANT_CWD=$here
mkdir -p "$rig"

# Machines destroyed and created again have new host keys: a fresh rig
# starts with an empty known_hosts (keys of a running rig stay pinned).
if ! compgen -G "$here/.vagrant/machines/*/*/id" >/dev/null; then
  rm -f "$rig/known_hosts"
fi

echo "== vagrant up ${provider[*]}"
vagrant up "${provider[@]}"

echo "== inventory: $rig/inventory.ini"
vagrant ssh-config >"$rig/ssh-config"
"$fleetk8s" inventory from-ssh-config - --known-hosts "$rig/known_hosts" <"$rig/ssh-config" >"$rig/inventory.ini.tmp"
# node_ip on each machine's line, from ./nodes.
awk 'NR == FNR { if ($1 !~ /^#/ && NF >= 2) ip[$1] = $2; next }
     ($1 in ip) && /^[^#[]/ { $0 = $0 " node_ip=" ip[$1]; seen[$1] = 1 }
     { print }
     END { for (n in ip) if (!(n in seen)) { print "up.sh: " n " is in nodes but not in vagrant ssh-config" > "/dev/stderr"; exit 1 } }' \
  "$here/nodes" "$rig/inventory.ini.tmp" >"$rig/inventory.ini"
rm -f "$rig/inventory.ini.tmp"
cat "$rig/inventory.ini"

if $inventory_only; then
  echo "== inventory written; run: $fleetk8s up $rig/inventory.ini"
  exit 0
fi

echo "== fleetk8s up"
cd "$rig"
exec "$fleetk8s" up inventory.ini --kubeconfig-out "$rig/kubernetes.kubeconfig" "${up_args[@]}"
