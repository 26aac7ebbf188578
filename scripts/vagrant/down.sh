#!/usr/bin/env bash
# Destroys the Vagrant rig of scripts/vagrant/up.sh and forgets its host keys
# and inventory (new machines get new keys).
#
#   scripts/vagrant/down.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
rig=${FLEETK8S_RIG_DIR:-$here/.rig}

if ! command -v vagrant >/dev/null 2>&1; then
  echo "down.sh: vagrant is not installed: nothing to destroy" >&2
  exit 1
fi
export VAGRANT_CWD=$here
vagrant destroy -f
rm -f "$rig/known_hosts" "$rig/inventory.ini" "$rig/ssh-config" "$rig/kubernetes.kubeconfig"
echo "rig destroyed"
