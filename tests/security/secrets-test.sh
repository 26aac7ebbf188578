#!/usr/bin/env bash
# Issue 10, end to end: secrets never appear in output, logs, run folders,
# reports or process listings, and what fleetk8s writes is never readable by
# others. On a fleet of its own (net 91, port 2491: cp1, worker01, worker02),
# with umask 022 as a shell has it:
#  1. a playbook run in which the hosts print secrets: become passwords (one
#     with quotes and backslashes, one of 4 characters, both really used by
#     sudo), a bootstrap token, certificate keys (in a join command, after
#     upload-certs' "Using certificate key:" line, then bare), plain, -v, -vv,
#     with --report FILE.json/.html; `fleetk8s exec` printing them too;
#     `ps -eo args` sampled all along;
#  2. `fleetk8s up` of a real (stand-in) cluster, -v, then a second control
#     plane joining with a fresh token and upload-certs' certificate key;
#  3. a command-line error quoting a token.
# Every secret, and its JSON and HTML escaped forms, must be nowhere; every
# file in the run folders, the reports and the kubeconfig must be 0600, every
# directory 0700.
# Usage: secrets-test.sh FLEETK8S SANDBOX_DIR FLEET   (SANDBOX_DIR unused: own fleet)
# SECRETS_TEST_KEEP=1 keeps the scratch directory (its path is printed).
set -uo pipefail
umask 022
bin=$(realpath "$1") fleet=$(realpath "$3")
work=$(mktemp -d)
dir=$work/fleet
[ -n "${SECRETS_TEST_KEEP:-}" ] && echo "# scratch: $work"
sampler=
trap '[ -n "$sampler" ] && kill "$sampler" 2>/dev/null; "$fleet" down "$dir" >/dev/null 2>&1; [ -n "${SECRETS_TEST_KEEP:-}" ] || rm -rf "$work"' EXIT
. "$(dirname "$0")/../integration/lib.sh"

"$fleet" up --net 91 --port 2491 3 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
runs=$work/runs

# --- the secrets
pw_long='Kx7v"Rq2p\Wm5s\\Tz8u'"'"'Ln4k'   # Kx7v"Rq2p\Wm5s\\Tz8u'Ln4k
pw_short='Vj3X'
token=$(openssl rand -hex 3).$(openssl rand -hex 8)
key1=$(openssl rand -hex 32) key2=$(openssl rand -hex 32)
hash=$(openssl rand -hex 32)   # the discovery hash: public, may show
json_escaped=$(printf '%s' "$pw_long" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read())[1:-1])')
html_escaped=$(printf '%s' "$pw_long" | python3 -c 'import html,sys; print(html.escape(sys.stdin.read()))')
secrets=("$pw_long" "$json_escaped" "$html_escaped" Kx7v Rq2p Wm5s Tz8u Ln4k "$pw_short" "$token" "$key1" "$key2")

# leaks FILE|DIR...: prints every place a secret shows (nothing when none does).
leaks() {
  local s
  for s in "${secrets[@]}"; do [ -n "$s" ] && grep -rlF -- "$s" "$@" 2>/dev/null | sed "s|^|$s in |"; done
}
# open_modes PATH...: every file not 0600 and directory not 0700 under PATH.
open_modes() {
  find "$@" \( -type f ! -perm 0600 \) -o \( -type d ! -perm 0700 \) 2>/dev/null
}
# Samples every process's command line until stopped, into $work/ps.
sample_ps() {
  while :; do ps -eo args >>"$work/ps" 2>/dev/null; sleep 0.02; done &
  sampler=$!
}
stop_ps() { kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null; sampler=; }

# ops needs its password for sudo: the long one on cp1, the short one on the workers.
for h in cp1 worker01 worker02; do
  pw=$pw_short; [ "$h" = cp1 ] && pw=$pw_long
  on "$h" usermod -p "$(printf '%s' "$pw" | openssl passwd -6 -stdin)" ops
  printf '%s\n' "$pw" | "$fleet" exec "$dir" "$h" -- sh -c 'cat >/root/pw; chmod 600 /root/pw'
done
printf '%s\n' "[upload-certs] Using certificate key:" "$key1" "" \
  "  kubeadm join 127.0.91.1:6443 --token $token \\" "	--discovery-token-ca-cert-hash sha256:$hash \\" \
  "	--control-plane --certificate-key $key1" |
  "$fleet" exec "$dir" cp1 -- sh -c 'cat >/root/init.out'
printf '%s\n' "[upload-certs] Storing the certificates in Secret \"kubeadm-certs\"" "[upload-certs] Using certificate key:" "$key2" |
  "$fleet" exec "$dir" worker01 -- sh -c 'cat >/root/upload.out'
printf '%s\n' "$key2" | "$fleet" exec "$dir" worker01 -- sh -c 'cat >/root/key.out'

sed -e 's/^ansible_user=root$/ansible_user=ops/' -e "s/^\(worker0[12] .*\)/\1 ansible_become_password=$pw_short/" \
  "$dir/inventory.ini" | grep -v '^worker02 ' >"$work/ops.ini"
printf '%s\n' "$pw_long" >"$work/become-pass"
cat >"$work/site.yml" <<'EOF'
- name: hosts that print secrets
  hosts: all
  become: true
  gather_facts: false
  tasks:
    - name: whoami
      command: id -un
    - name: the become password
      command: cat /root/pw
    - name: kubeadm init's output
      command: cat /root/init.out
      when: inventory_hostname == 'cp1'
    - name: upload-certs' output
      command: cat /root/upload.out
      when: inventory_hostname != 'cp1'
    - name: the same key, bare, later
      command: cat /root/key.out
      when: inventory_hostname != 'cp1'
    - name: a failure quoting the password
      shell: 'printf "wrong: %s\n" "$(cat /root/pw)" >&2; sleep 0.3; exit 1'
      ignore_errors: true
    - name: a registered variable carries it on
      command: cat /root/pw
      register: pw
    - name: and debug shows it
      debug: { var: pw.stdout }
EOF

# --- 1. a playbook run: plain, -v, -vv, reports
sample_ps
for v in "" -v -vv; do
  fk run -i "$work/ops.ini" site.yml --become-password-file "$work/become-pass" --run-dir "$runs" \
    --report "$work/report$v.json" --report "$work/report$v.html" $v
  check "run ${v:-plain}: sudo took both passwords, exit 0, the failure's stderr masked" "[ \$(rc) = 0 ] && [ \$(count '^(ok|changed): \\[(cp1|worker01)\\]') -ge 4 ] && has 'wrong: \*\*\*\*\*\*\*\*'"
  cp "$work/out" "$work/run$v.out"
done
fk exec -i "$work/ops.ini" --become --become-password-file "$work/become-pass" -- \
  'cat /root/pw; cat /root/init.out /root/upload.out 2>/dev/null; cat /root/key.out >&2 2>/dev/null; true'
cp "$work/out" "$work/exec.out"
stop_ps
check "exec: both hosts ran, their output masked" "[ \$(rc) = 0 ] && has '^cp1 \| \*\*\*\*\*\*\*\*\$' && has '^worker01 \| \*\*\*\*\*\*\*\*\$' && [ -z \"\$(leaks '$work/exec.out')\" ]"
check "the hosts did print the key after its label and bare: masked in both places" "grep -A1 'Using certificate key:' '$runs/last/hosts/worker01.log' | grep -x '\*\*\*\*\*\*\*\*' >/dev/null && [ \"\$(awk '/TASK \\[the same key, bare, later\\]/ { f = 1 } f && /^--- stdout/ { getline; print; exit }' '$runs/last/hosts/worker01.log')\" = '********' ]"
check "no secret in the output, plain, -v or -vv" "[ -z \"\$(leaks '$work'/run*.out)\" ] || { leaks '$work'/run*.out; false; }"
check "the masks are there instead" "grep -q -- '--token \*\*\*\*\*\*\*\* ' '$work/run-v.out' && grep -q -- '--certificate-key \*\*\*\*\*\*\*\*' '$work/run-v.out' && grep -q 'sha256:$hash' '$work/run-v.out'"
check "no secret in the run folders (events.jsonl, hosts/*.log, summary.json, command.txt)" "[ -n \"\$(ls '$runs')\" ] && [ -z \"\$(leaks '$runs')\" ] || { leaks '$runs'; false; }"
check "no secret in the JSON and HTML reports" "[ -s '$work/report-vv.html' ] && [ -z \"\$(leaks '$work'/report*)\" ] || { leaks '$work'/report*; false; }"
check "the JSON reports and events still parse" "python3 -c 'import json,sys; [json.load(open(p)) for p in sys.argv[1:]]' '$work'/report*.json && for f in '$runs'/*/events.jsonl; do python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' \"\$f\" || exit 1; done"
check "ps was sampled during the runs" "[ \$(grep -c fleetk8s '$work/ps') -gt 10 ]"
check "no secret in any process listing on the controller" "[ -z \"\$(leaks '$work/ps')\" ] || { leaks '$work/ps'; false; }"
check "run folders: files 0600, directories 0700 (umask 022)" "[ -z \"\$(open_modes '$runs')\" ] || { open_modes '$runs'; false; }"
check "reports: 0600" "[ -z \"\$(open_modes '$work'/report*)\" ] || { open_modes '$work'/report*; false; }"


# --- 2. a cluster: kubeadm's own tokens and keys
sed -e 's/^ansible_user=ops$/ansible_user=root/' -e 's/ ansible_become_password=.*//' "$work/ops.ini" >"$work/two.ini"
: >"$work/ps"
sample_ps
fk up "$work/two.ini" -v --run-dir "$runs" --report "$work/up.json"
cp "$work/out" "$work/up.out"
check "up: exit 0, 2 nodes Ready" "[ \$(rc) = 0 ] && has 'every node is Ready \(2\)'"
# worker02 joins as a second control plane: a fresh token, upload-certs' key.
{ echo '[control_plane]'; grep -E '^(cp1|worker02) ' "$dir/inventory.ini"; echo '[workers]'; grep '^worker01 ' "$dir/inventory.ini"
  sed -n '/^\[all:vars\]/,$p' "$dir/inventory.ini"; } >"$work/three.ini"
fk up "$work/three.ini" -vv --run-dir "$runs" --report "$work/up2.json" --report "$work/up2.html"
cp "$work/out" "$work/up2.out"
stop_ps
check "a second control plane joins with a fresh token and certificate key" "[ \$(rc) = 0 ] && has 'a fresh token from the control plane' && has 'every node is Ready \(3\)'"
tokens=$(on cp1 kubeadm token list 2>/dev/null | awk 'NR > 1 { print $1 }')
cluster_key=$(on cp1 python3 -c 'import json; print(json.load(open("/var/lib/etcd/member/sandbox-store.json"))["certificateKey"]["key"])' 2>/dev/null)
secrets+=($tokens "$cluster_key")
check "the cluster's tokens and certificate key are known to the test" "[ -n '$tokens' ] && [ \${#cluster_key} = 64 ]"
check "kubeadm's tokens and keys are nowhere: output, run folders, reports, ps" "[ -z \"\$(leaks '$work'/up*.out '$runs' '$work'/up*.json '$work'/up2.html '$work/ps')\" ] || { leaks '$work'/up*.out '$runs' '$work'/up*.json '$work'/up2.html '$work/ps'; false; }"
check "nor anything shaped like them" "! grep -rqE '(^|[^a-z0-9_])[a-z0-9]{6}\.[a-z0-9]{16}([^a-z0-9_]|\$)|certificate-key[ =][0-9a-f]{64}' '$work'/up*.out '$runs' '$work'/up*.json '$work'/up2.html"
check "the kubeconfig: 0600, run folders and reports still private" "[ \$(stat -c %a '$work/kubernetes.kubeconfig') = 600 ] && [ -z \"\$(open_modes '$runs' '$work'/up*.json '$work/up2.html')\" ]"
rm -f "$work/kubernetes.kubeconfig"
ln -s "$work/elsewhere" "$work/kubernetes.kubeconfig"
fk kubeconfig "$work/two.ini"
check "a symbolic link at the kubeconfig's place is refused, not followed" "[ \$(rc) != 0 ] && has 'symbolic link' && [ ! -e '$work/elsewhere' ]"

# --- 3. a top-level error quoting a secret
fk run -i "$work/ops.ini" site.yml --no-such-flag "$token"
check "a command-line error quoting a token masks it" "[ \$(rc) = 1 ] && ! has '$token' && has '\*\*\*\*\*\*\*\*'"

finish
