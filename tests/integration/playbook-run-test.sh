#!/usr/bin/env bash
# `fleetk8s run` end to end against the sandbox fleet (cp1, worker01..03),
# as a user runs it: the engine's semantics, idempotency, check mode that
# changes nothing, drift found and fixed, failures and exit codes.
# Usage: playbook-run-test.sh FLEETK8S_BIN SANDBOX_DIR SANDBOX_FLEET_SCRIPT
set -uo pipefail
bin=$(realpath "$1") dir=$(realpath "$2") fleet=$3
inv=$dir/inventory.ini
data=$(cd "$(dirname "$0")/../data/playbooks" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"
FK_TAIL=60

run() { fk run -i "$inv" "$@"; }
recap() {  # recap HOST: the host's PLAY RECAP counts as "ok=N changed=N ..."
  grep -E "^$1 +:" "$work/out" | sed -E 's/^[^:]+: +//; s/ +/ /g; s/ $//'
}
tree_hash() {  # every file under /opt/sem on every host: path, mode, content hash
  for h in cp1 worker01 worker02 worker03; do
    on "$h" sh -c 'cd /opt/sem 2>/dev/null && find . -type f -exec stat -c "%n %a %U" {} \; -exec md5sum {} \; | sort'
  done | md5sum
}
sem=$data/run/semantics.yml
for h in cp1 worker01 worker02 worker03; do on "$h" rm -rf /opt/sem >/dev/null; done
ev=(-e "fetch_dir=$work/fetched")

run "$sem" "${ev[@]}"
check "first run: exit 0" "[ \$(rc) = 0 ]"
check "facts are gathered without python" "has '\"FACTS cp1 Rocky 8 os=RedHat\"'"
check "template rendered with inventory data, registered and tested" "[ \$(count '\"TEMPLATED [a-z0-9]+ [0-9]+\"') = 4 ]"
check "precedence: task vars over play vars, vars_files read" "has '\"PRECEDENCE task vars-file\"'"
check "set_fact visible to later tasks" "has '\"FACT WORKER03-x\"'"
check "until retries until the condition holds" "[ \$(count 'FAILED - RETRYING: \[cp1\]') = 2 ]"
check "rescue and always run for every host" "[ \$(count '\"RESCUED ') = 4 ] && [ \$(count '\"ALWAYS ') = 4 ] && ! has 'NOT REACHED'"
check "run_once runs on one host" "[ \$(count '\"ONCE ') = 1 ]"
check "never-tagged tasks do not run by default" "! has '\"TAGGED '"
check "environment reaches the command" "has '\"ENV=worker02-env\"'"
check "include_tasks runs its tasks" "[ \$(count '\"INCLUDED ') = 4 ]"
check "handler runs once per notified host" "[ \$(count '\"HANDLER ') = 4 ]"
check "no_log hides the secret" "! has 's3cr3t'"
check "recap counts rescued and ignored, no failure" "[ \"\$(recap cp1 | grep -o 'failed=0 skipped=1 rescued=1 ignored=1')\" != '' ]"
check "fetch copies the file to DEST/HOST/PATH" "grep -qx 'host=worker01' '$work/fetched/worker01/opt/sem/app.conf'"

run "$sem" "${ev[@]}"
check "second run: changed=0 on every host" "[ \$(count 'changed=0 ') = 4 ] && [ \$(rc) = 0 ]"
check "second run: handler not notified" "! has '\"HANDLER '"

run "$sem" "${ev[@]}" -v
check "no_log hides the secret with -v too, and says so" "! has 's3cr3t' && has 'no_log: true'"

run "$sem" "${ev[@]}" --tags special
check "--tags runs only matching tasks (and facts)" "[ \$(count '\"TAGGED ') = 4 ] && ! has '\"FACT ' && has 'Gathering Facts'"
run "$sem" "${ev[@]}" --skip-tags special,always --tags all
check "--skip-tags skips even always-tagged facts" "! has 'Gathering Facts' && ! has '\"TAGGED '"

run "$sem" "${ev[@]}" -e precedence=extra --limit 'worker01,worker02'
check "-e wins over task vars; --limit limits" "has '\"PRECEDENCE extra vars-file\"' && ! has '\\[cp1\\]' && [ \$(count 'changed=0 ') = 2 ]"

run "$sem" "${ev[@]}" --start-at-task 'use it'
check "--start-at-task skips earlier tasks" "! has 'TASK \\[precedence\\]' && has 'TASK \\[use it\\]'"

# Drift: a manual change on one host; --check reports exactly it and changes nothing.
on worker02 sh -c 'echo manual >> /opt/sem/app.conf' >/dev/null
before=$(tree_hash)
run "$sem" "${ev[@]}" --check --diff
after=$(tree_hash)
check "--check changes nothing on any host" "[ '$before' = '$after' ]"
check "--check reports the drifted host only (template, and fetch sees the new content)" "[ \"\$(recap worker02 | grep -o 'changed=[0-9]*')\" = changed=2 ] && [ \$(count 'changed=0 ') = 3 ] && [ \$(count '^changed: ') = 2 ]"
check "--check --diff shows the drift" "has '^-manual'"
run "$sem" "${ev[@]}"
check "a plain run fixes the drift and runs the handler there" "[ \$(count '\"HANDLER ') = 1 ] && has '\"HANDLER worker02\"'"
run "$sem" "${ev[@]}"
check "then converged again" "[ \$(count 'changed=0 ') = 4 ]"

run "$data/run/flow.yml"
check "serial batches of 2" "[ \$(count '\"BATCH 2 ') = 4 ]"
check "free strategy runs every worker" "[ \$(count '\"FREE ') = 3 ]"
check "a failed host stops, the others go on" "[ \$(count '\"AFTER ') = 3 ] && ! has '\"AFTER worker01\"'"
check "a failed host is out of later plays" "[ \$(count '\"LATER ') = 3 ] && ! has '\"LATER worker01\"'"
check "some host failed: exit 2" "[ \$(rc) = 2 ]"
check "the failure text is shown" "has 'fatal: \\[worker01\\]: FAILED! => \\{\"changed\": false, \"failed\": true, \"msg\": \"planned failure on worker01\"\\}'"

run "$data/run/fatal.yml"
check "any_errors_fatal stops every host" "! has '\"NEVER ' && [ \$(rc) = 2 ]"

run "$data/invalid-run/bad-filter.yml"
check "a template error is found before any host is touched" "[ \$(rc) = 1 ] && has 'bad-filter.yml:5:.*dfault' && ! has 'PLAY \\['"

"$fleet" stop-host "$dir" worker03 >/dev/null
run --connect-timeout 5 "$sem" "${ev[@]}"
"$fleet" start-host "$dir" worker03 >/dev/null
check "an unreachable host: exit 4, reported, others go on" "[ \$(rc) = 4 ] && has 'fatal: \\[worker03\\]: UNREACHABLE!' && [ \$(count 'unreachable=1 ') = 1 ] && [ \$(count 'changed=0 +unreachable=0 ') = 3 ]"

# Ctrl-C: running tasks finish, nothing new starts, the recap is printed.
"$bin" run -i "$inv" "$data/run/slow.yml" >"$work/out" 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid; echo $? >"$work/rc"
check "Ctrl-C: exit 130, running tasks finished, no new task, recap printed" "[ \$(rc) = 130 ] && has 'interrupted' && [ \$(count '^changed: ') = 4 ] && ! has 'AFTER-STOP' && has 'PLAY RECAP'"

# A second Ctrl-C stops at once: the recap so far, without waiting for the
# running tasks (here a 60-second sleep on every host).
printf '%s\n' '- hosts: all' '  gather_facts: false' '  tasks:' '    - name: never ends soon' '      command: sleep 60' >"$work/stuck.yml"
"$bin" run -i "$inv" "$work/stuck.yml" >"$work/out" 2>&1 &
pid=$!
sleep 2
kill -INT $pid
sleep 0.5
started=$(date +%s)
kill -INT $pid
wait $pid; echo $? >"$work/rc"
took=$(( $(date +%s) - started ))
check "a second Ctrl-C: exit 130 at once (${took} s), recap printed" "[ \$(rc) = 130 ] && [ $took -le 3 ] && has 'interrupted again' && has 'PLAY RECAP'"

finish
