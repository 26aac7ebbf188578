#!/usr/bin/env bash
# fleetk8s run against ansible-playbook: the same playbook
# (tests/data/playbooks/compare-all-modules.yml, every host-side module) on two
# twin 2-host sandbox fleets (same host names and addresses, different ports),
# ansible-playbook on one, fleetk8s on the other; then the hosts must hold the
# same files and state:
#   - every path the playbook touches: type, mode, owner:group, symlink target,
#     content (sha256; differing files are shown as a diff)
#   - stand-in state: systemctl is-enabled/is-active, rpm -q, sysctl -n, lsmod,
#     getenforce, swapon; and the files fetched to the controller
# Then, on the fleetk8s fleet:
#   - a second run reports changed=0 on every host
#   - after a manual edit on worker01, `run --check` reports changed on exactly
#     that host and task, and changes nothing on any host (snapshots before/after)
#   - a plain run fixes it (changed on exactly that host and task) and the fleet
#     matches the Ansible one again
#
# Usage: tests/integration/playbook-ansible-compare.sh [--ansible-only] [--keep]
#   --ansible-only  run ansible-playbook on both fleets (no fleetk8s): checks the
#                   playbook, the snapshots and the checks themselves
#   --keep          leave the fleets and the work directory in place
# Environment: COMPARE_PORT (default 2431; the fleets use it and the next port),
#   FLEETK8S (binary, default build/src/cli/fleetk8s), COMPARE_PLAYBOOK_DIR (a copy of
#   tests/data/playbooks to run instead).
# Ansible needs tests/data/ansible-sandbox on sandbox hosts (dnf, selinux,
# modprobe, service, get_url: see its README); installed on the Ansible fleet only.
#
# ALLOW-LIST: deliberate differences between the two fleets. Each entry is
# "EXTENDED-REGEX<TAB>why"; snapshot lines matching the regex are ignored on both
# sides. Add an entry only with the reason it is not a bug.
ALLOW=(
  # (none yet: fleetk8s aims at byte-identical results)
)
set -uo pipefail
# A stdin of its own: tests run side by side share ctest's, and an ssh client in
# another test may have made it non-blocking, which Ansible refuses.
exec </dev/null
root=$(cd "$(dirname "$0")/../.." && pwd)
ansible_only=0 keep=0
for a in "$@"; do
  case $a in
    --ansible-only) ansible_only=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,/^ALLOW=(/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $a" >&2; exit 1 ;;
  esac
done
bin=${FLEETK8S:-$root/build/src/cli/fleetk8s}
port=${COMPARE_PORT:-2431}
pbdir=${COMPARE_PLAYBOOK_DIR:-$root/tests/data/playbooks}
playbook=compare-all-modules.yml
work=$(mktemp -d /tmp/fk-pbcmp.XXXXXX)
fa=$work/fleet-a fb=$work/fleet-b   # a: ansible-playbook, b: fleetk8s (or Ansible with --ansible-only)
# shellcheck source=../../scripts/lib/ansible-sandbox.sh
. "$root/scripts/lib/ansible-sandbox.sh"
cleanup() {
  if [ "$keep" = 1 ]; then echo "kept: $work (fleets: sandbox-fleet down $fa; down $fb)"; return; fi
  "$root/scripts/sandbox-fleet" down "$fa" >/dev/null 2>&1
  "$root/scripts/sandbox-fleet" down "$fb" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }

if [ "$ansible_only" = 0 ] && ! { [ -x "$bin" ] && "$bin" --help 2>/dev/null | grep -E '^ +run( |$)' >/dev/null; }; then
  echo "fleetk8s run is not available ($bin); use --ansible-only to check the Ansible half"; exit 1
fi
b_tool=fleetk8s; [ "$ansible_only" = 1 ] && b_tool=ansible-playbook

ansible_sandbox_need_collections || exit 1
ansible_sandbox_config "$work" 10
"$root/scripts/sandbox-fleet" up --port "$port" 2 "$fa" >/dev/null || exit 1
"$root/scripts/sandbox-fleet" up --port $((port + 1)) 2 "$fb" >/dev/null || exit 1
ansible_sandbox_install_shims "$fa" || exit 1
[ "$ansible_only" = 1 ] && { ansible_sandbox_install_shims "$fb" || exit 1; }

# run_pb TOOL FLEET OUT [ARGS...]: runs the playbook with TOOL on FLEET; output in OUT; returns its exit status.
run_pb() {
  local tool=$1 fleet=$2 out=$3; shift 3
  local fetch=$work/fetched-$(basename "$fleet")
  ( cd "$pbdir" || exit 1
    if [ "$tool" = fleetk8s ]; then
      "$bin" run -i "$fleet/inventory.ini" "$playbook" -e "fetch_dir=$fetch" "$@"
    else
      ansible-playbook -i "$fleet/inventory.ini" "$playbook" -e "fetch_dir=$fetch" "$@"
    fi ) >"$out" 2>&1
}

# recap OUT: "host changed=N failed=N unreachable=N" per host of a PLAY RECAP.
recap() {
  awk '/^[^ ]+ +: ok=[0-9]+/ { c = f = u = 0
         for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "changed") c = kv[2]; if (kv[1] == "failed") f = kv[2]; if (kv[1] == "unreachable") u = kv[2] }
         print $1, "changed=" c, "failed=" f, "unreachable=" u }' "$1"
}

# changed_tasks OUT: "TASK NAME|host" for every changed result (loop items: once per task and host).
changed_tasks() {
  awk '/^(TASK|RUNNING HANDLER) \[/ { t = $0; sub(/^[^[]*\[/, "", t); sub(/\] \**$/, "", t) }
       /^changed: \[/ { h = $2; gsub(/[\[\]:]/, "", h); print t "|" h }' "$1" | sort -u
}

# The host-side snapshot: one line per touched path and per piece of state.
read -r -d '' SNAPSHOT <<'SH'
export LC_ALL=C
for p in /etc/nodeprep /var/lib/nodeprep /etc/chrony.conf /etc/fstab /etc/hosts /etc/modules-load.d \
         /etc/modprobe.d /etc/sysctl.d /etc/selinux/config /etc/yum.repos.d /etc/systemd/system; do
  [ -e "$p" ] || [ -L "$p" ] || { echo "$p missing"; continue; }
  find "$p" | sort | while IFS= read -r f; do
    meta=$(stat -c '%F %a %U:%G' "$f")
    if [ -L "$f" ]; then echo "$f $meta -> $(readlink "$f")"
    elif [ -f "$f" ]; then echo "$f $meta sha256=$(sha256sum <"$f" | cut -c1-16)"
    else echo "$f $meta"; fi
  done
done
for u in firewalld chronyd crond; do echo "unit $u enabled=$(systemctl is-enabled $u 2>&1) active=$(systemctl is-active $u 2>&1)"; done
for p in socat conntrack-tools iproute-tc man-db firewalld chrony; do echo "rpm $(rpm -q $p 2>&1)"; done
for k in net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables vm.swappiness; do echo "sysctl $k=$(sysctl -n $k 2>&1)"; done
echo "lsmod $(lsmod | awk 'NR > 1 { print $1 }' | sort | tr '\n' ' ')"
echo "getenforce $(getenforce)"
echo "swap [$(swapon --show --noheadings 2>&1 | tr '\n' ' ')]"
SH

hssh() {  # hssh FLEET HOST CMD
  local fleet=$1 host=$2; shift 2
  local addr port
  addr=$(awk -v h="$host" '$1 == h { print $2 }' "$fleet/hosts.list")
  port=$(sed -n 's/^FLEET_PORT=//p' "$fleet/fleet.env")
  ssh -F /dev/null -p "$port" -i "$fleet/id_ed25519" -o UserKnownHostsFile="$fleet/known_hosts" \
    -o StrictHostKeyChecking=yes -o BatchMode=yes "root@$addr" "$@"
}

# snapshot FLEET OUTDIR: OUTDIR/HOST per host, allow-listed lines removed.
snapshot() {
  local fleet=$1 out=$2 host re
  mkdir -p "$out"
  for host in $(awk '{ print $1 }' "$fleet/hosts.list"); do
    hssh "$fleet" "$host" "$SNAPSHOT" >"$out/$host.raw" 2>&1
    cp "$out/$host.raw" "$out/$host"
    for entry in "${ALLOW[@]}"; do
      re=${entry%%$'\t'*}
      grep -vE -- "$re" "$out/$host" >"$out/$host.tmp"; mv "$out/$host.tmp" "$out/$host"
    done
  done
}

# compare_fleets LABEL: snapshots both fleets and the fetched trees; prints every difference.
compare_fleets() {
  local label=$1 host d=0 f
  rm -rf "$work/snap-a" "$work/snap-b"
  snapshot "$fa" "$work/snap-a"; snapshot "$fb" "$work/snap-b"
  for host in $(awk '{ print $1 }' "$fa/hosts.list"); do
    if ! diff -u --label "ansible-playbook:$host" --label "$b_tool:$host" "$work/snap-a/$host" "$work/snap-b/$host" >"$work/diff.$host"; then
      d=1; echo "--- differences on $host (- ansible-playbook, + $b_tool):"; grep -E '^[-+][^-+]' "$work/diff.$host" | sed 's/^/    /'
      # Show the content of files that differ.
      for f in $(grep -E '^[-+]/.* regular .*sha256=' "$work/diff.$host" | awk '{ print substr($1, 2) }' | sort -u); do
        echo "    content of $f:"
        diff <(hssh "$fa" "$host" "cat '$f'" 2>&1) <(hssh "$fb" "$host" "cat '$f'" 2>&1) | sed 's/^/      /' | head -20
      done
    fi
  done
  if ! diff -r "$work/fetched-fleet-a" "$work/fetched-fleet-b" >"$work/diff.fetched" 2>&1; then
    d=1; echo "--- fetched files differ (fetched-fleet-a: ansible-playbook, fetched-fleet-b: $b_tool):"; sed 's/^/    /' "$work/diff.fetched" | head -30
  fi
  if [ "$d" = 0 ]; then pass "$label: both fleets hold the same files and state ($(wc -l <"$work/snap-a/cp1") snapshot lines per host, fetched files equal)"
  else fail "$label: the fleets differ (see above)"; fi
}

# 1. Converge both fleets.
if run_pb ansible-playbook "$fa" "$work/a1.out"; then pass "ansible-playbook converged fleet a ($(recap "$work/a1.out" | tr '\n' ';'))"
else fail "ansible-playbook on fleet a exited non-zero"; grep -E 'fatal|ERROR' "$work/a1.out" | head; fi
if run_pb "$b_tool" "$fb" "$work/b1.out"; then pass "$b_tool converged fleet b ($(recap "$work/b1.out" | tr '\n' ';'))"
else fail "$b_tool on fleet b exited non-zero"; grep -E 'fatal|ERROR|error' "$work/b1.out" | head; fi
compare_fleets "after the first run"

# 2. Re-runs change nothing (Ansible's too: the playbook itself must be idempotent).
for side in a b; do
  tool=ansible-playbook fleet=$fa; [ "$side" = b ] && tool=$b_tool fleet=$fb
  run_pb "$tool" "$fleet" "$work/${side}2.out"; rc=$?
  r=$(recap "$work/${side}2.out")
  if [ "$rc" = 0 ] && [ -n "$r" ] && ! grep -vq ' changed=0 failed=0 unreachable=0$' <<<"$r"; then
    pass "second $tool run: changed=0 on every host ($(tr '\n' ';' <<<"$r"))"
  else
    fail "second $tool run (exit $rc) is not changed=0 everywhere: $(tr '\n' ';' <<<"${r:-no PLAY RECAP}")"; changed_tasks "$work/${side}2.out" | sed 's/^/    changed: /'
  fi
done

# 3. Drift on one host: --check reports it and changes nothing; a plain run fixes it.
drift_file=/etc/nodeprep/conf.d/logging drift_task="Set the log level" drift_host=worker01
hssh "$fb" "$drift_host" "sed -i 's/^LOG_LEVEL=.*/LOG_LEVEL=debug/' $drift_file"
rm -rf "$work/check-before"; snapshot "$fb" "$work/check-before"
run_pb "$b_tool" "$fb" "$work/b3.out" --check; rc=$?
rm -rf "$work/check-after"; snapshot "$fb" "$work/check-after"
got=$(changed_tasks "$work/b3.out" | tr '\n' ';')
if [ "$rc" = 0 ] && [ "$got" = "$drift_task|$drift_host;" ]; then pass "$b_tool --check reports the drift on exactly $drift_host / $drift_task"
else fail "$b_tool --check (exit $rc) reported changed: '${got:-nothing}', expected '$drift_task|$drift_host;'"; fi
if diff -r "$work/check-before" "$work/check-after" >"$work/diff.check"; then pass "$b_tool --check changed nothing on any host"
else fail "$b_tool --check changed the hosts:"; sed 's/^/    /' "$work/diff.check" | head -20; fi
r=$(recap "$work/b3.out" | tr '\n' ';')
if [[ $r == *"cp1 changed=0 failed=0"* && $r == *"$drift_host changed=1 failed=0"* ]]; then pass "$b_tool --check recap: $r"
else fail "$b_tool --check recap: '${r:-no PLAY RECAP}', expected $drift_host changed=1, cp1 changed=0"; fi
run_pb "$b_tool" "$fb" "$work/b4.out"; rc=$?
got=$(changed_tasks "$work/b4.out" | tr '\n' ';')
if [ "$rc" = 0 ] && [ "$got" = "$drift_task|$drift_host;" ]; then pass "$b_tool run fixed the drift on exactly $drift_host / $drift_task"
else fail "$b_tool run after the drift (exit $rc) changed: '${got:-nothing}', expected '$drift_task|$drift_host;'"; fi
compare_fleets "after fixing the drift"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
