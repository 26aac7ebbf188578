#!/usr/bin/env bash
# Checks that every valid sample playbook here is also valid for Ansible:
#   tests/data/playbooks/syntax-check.sh
# Needs ansible-core (2.14). sysctl, selinux and modprobe live in the
# ansible.posix and community.general collections, which ansible-core does
# not ship: collections-stub/ holds empty stand-ins so that their names
# resolve (a syntax check never runs a module).
set -euo pipefail
cd "$(dirname "$0")"
export ANSIBLE_COLLECTIONS_PATH="$PWD/collections-stub"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
status=0
for playbook in all-modules.yml keywords.yml imported-play.yml; do
  if out=$(ansible-playbook --syntax-check -i localhost, "$playbook" 2>&1); then
    echo "ok: $playbook"
  else
    echo "FAILED: $playbook"
    echo "$out"
    status=1
  fi
done
exit $status
