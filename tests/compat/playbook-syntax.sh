#!/usr/bin/env bash
# Every playbook fleetk8s ships (playbooks/*.yml) and every valid sample
# playbook of the tests must also pass `ansible-playbook --syntax-check`, so
# admins can read and run them with Ansible too. Prints `N passed, M failed`.
# sysctl, selinux and modprobe live in collections ansible-core does not ship:
# tests/data/playbooks/collections-stub holds empty stand-ins so their names
# resolve (a syntax check runs no module).
set -uo pipefail
# A stdin of its own: tests run side by side share ctest's, and an ssh client in
# another test may have made it non-blocking, which Ansible refuses.
exec </dev/null
root=$(cd "$(dirname "$0")/../.." && pwd)
export ANSIBLE_COLLECTIONS_PATH="$root/tests/data/playbooks/collections-stub"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_NOCOLOR=1
passed=0 failed=0
shopt -s nullglob
for playbook in "$root"/playbooks/*.yml "$root"/tests/data/playbooks/{all-modules,keywords,imported-play,bench-converge,compare-all-modules}.yml "$root"/tests/data/playbooks/run/*.yml; do
  if out=$(cd "$(dirname "$playbook")" && ansible-playbook --syntax-check -i localhost, "$playbook" 2>&1); then
    passed=$((passed + 1)); echo "ok: ${playbook#$root/}"
  else
    failed=$((failed + 1)); echo "FAILED: ${playbook#$root/}"; echo "$out" | sed 's/^/    /'
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
