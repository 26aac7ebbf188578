#!/usr/bin/env bash
# Seeing what happens, end to end on a sandbox fleet of 3 hosts (its own, on
# net 83) running a playbook in which worker02 fails: the run folder
# (command.txt, events.jsonl with one event per task per host, hosts/*.log,
# summary.json, `last`), secrets masked everywhere, the JSON report against
# docs/report-schema.json, the HTML report rendered by headless Chromium,
# the live progress under a pseudo-terminal, --no-progress and non-terminal
# output unchanged, -vv command detail, old runs removed, an unwritable run
# folder only warned about.
# Usage: reports-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
# REPORTS_TEST_KEEP=DIR keeps the HTML report and its screenshot there.
set -uo pipefail
bin=$(realpath "$1") fleet=$(realpath "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$root/docs/report-schema.json
work=$(mktemp -d)
dir=$work/fleet
trap '"$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

need_apt() {  # need_apt PACKAGE: installs a Debian package when missing
  dpkg -s "$1" >/dev/null 2>&1 && return 0
  echo "reports-test: installing Debian's '$1' package" >&2
  local sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1 ||
    { DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1; }
}
# A python3 with the jsonschema module (Debian's python3-jsonschema when missing).
py=python3
if ! $py -c 'import jsonschema' 2>/dev/null; then
  py=/usr/bin/python3
  $py -c 'import jsonschema' 2>/dev/null || need_apt python3-jsonschema
fi
chromium=$(command -v chromium || true)
[ -n "$chromium" ] || { need_apt chromium; chromium=$(command -v chromium || true); }

"$fleet" up --net 83 --port 2483 3 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$work/inventory.ini
{ cat "$dir/inventory.ini"; echo "[all:vars]"; echo "ansible_become_password=Inv3ntory-Secret"; } >"$inv"
cat >"$work/site.yml" <<'EOF'
- name: reports
  hosts: all
  gather_facts: false
  tasks:
    - name: say hello
      command: echo hello from {{ inventory_hostname }}
    - name: a no_log secret
      command: echo "{{ db_password }}"
      no_log: true
    - name: a registered secret in the output
      shell: echo "pw={{ ansible_become_password }}"
    - name: a loop
      command: echo {{ item }}
      loop: [one, two]
    - name: break worker02
      shell: echo broken >&2; exit 3
      when: inventory_hostname == 'worker02'
    - name: after the failure
      command: sleep 0.2
EOF
runs=$work/runs
book=(run -i "$inv" site.yml -e db_password=N0log-Secret-77)

# --- a plain run (not a terminal) with both reports
fk "${book[@]}" --run-dir "$runs" --report "$work/report.json" --report "$work/report.html"
cp "$work/out" "$work/plain.out"
check "the run fails on worker02 only: exit 2" "[ \$(rc) = 2 ] && has '^fatal: \[worker02\]' && [ \$(count '^worker02 +: .*failed=1') = 1 ]"
check "not a terminal: Ansible's lines, no escape sequences" "has '^TASK \[say hello\]' && has '^changed: \[cp1\]' && ! grep -q \$'\\e' '$work/out'"
folder=$(ls -d "$runs"/*-run-* 2>/dev/null | head -1)
check "one run folder named <stamp>-run-<pid>, and last points at it" "[ \$(ls -d '$runs'/*-run-* | wc -l) = 1 ] && [[ \$(basename '$folder') =~ ^[0-9]{8}T[0-9]{6}-run-[0-9]+\$ ]] && [ \"\$(readlink '$runs/last')\" = \$(basename '$folder') ]"
check "the folder has command.txt, events.jsonl, summary.json and a log per host" "[ -s '$folder/command.txt' ] && [ -s '$folder/events.jsonl' ] && [ -s '$folder/summary.json' ] && [ -s '$folder/hosts/cp1.log' ] && [ -s '$folder/hosts/worker01.log' ] && [ -s '$folder/hosts/worker02.log' ]"
check "last-summary.json is the run's summary.json" "cmp -s '$runs/last-summary.json' '$folder/summary.json'"
check "command.txt has the command line, the -e secret masked" "grep -q 'run -i .* site.yml -e db_password=\*\*\*\*\*\*\*\*' '$folder/command.txt'"
check "the host log keeps the failing command's whole output" "grep -q 'TASK \[break worker02\] => failed rc=3' '$folder/hosts/worker02.log' && grep -qx 'broken' '$folder/hosts/worker02.log'"

cat >"$work/events.py" <<'EOF'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
results = [e for e in events if e["event"] == "result"]
tasks = [e["name"] for e in events if e["event"] == "task"]
want = {"say hello": 3, "a no_log secret": 3, "a registered secret in the output": 3, "a loop": 6,
        "break worker02": 3, "after the failure": 2}
assert tasks == list(want), tasks
for name, n in want.items():
    got = [e for e in results if e["task"] == name]
    assert len(got) == n, (name, len(got))
    hosts = sorted({e["host"] for e in got})
    assert hosts == sorted(["cp1", "worker01", "worker02"][: 3 if n != 2 else 2]), (name, hosts)
for e in results:
    for f in ("host", "task", "play", "start", "end", "duration_ms", "status", "changed", "rc"):
        assert f in e, (f, e)
    assert e["start"] <= e["end"], e
bad = [e for e in results if e["status"] == "failed"]
assert len(bad) == 1 and bad[0]["host"] == "worker02" and bad[0]["rc"] == 3 and "broken" in bad[0]["stderr"], bad
assert all(e.get("censored") for e in results if e["task"] == "a no_log secret")
assert sum(1 for e in results if e["task"] == "a loop" and e.get("item") in ("one", "two")) == 6
assert sum(1 for e in results if e["task"] == "say hello" and e["rc"] == 0 and e["stdout"].startswith("hello from")) == 3
assert events[-1]["event"] == "recap" and events[-1]["hosts"]["worker02"]["failed"] == 1
print("events ok")
EOF
check "events.jsonl: one result per task per host (per item in a loop), with start, end, status, rc and output" "$py '$work/events.py' '$folder/events.jsonl' >'$work/out' 2>&1"
check "secrets are masked in the run folder and the reports" "! grep -rqE 'N0log-Secret-77|Inv3ntory-Secret' '$runs' '$work/report.json' '$work/report.html' && grep -q 'pw=\*\*\*\*\*\*\*\*' '$folder/hosts/cp1.log'"

cat >"$work/schema.py" <<'EOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
for path in sys.argv[2:]:
    doc = json.load(open(path))
    jsonschema.Draft202012Validator(schema).validate(doc)
    hosts = {h["name"]: h for h in doc["hosts"]}
    assert doc["exit_code"] == 2 and doc["ok"] is False and doc["command"] == "run", doc["exit_code"]
    assert doc["totals"] == {"hosts": 3, "ok": 0, "changed": 2, "failed": 1, "unreachable": 0, "not_run": 0}, doc["totals"]
    assert hosts["worker02"]["outcome"] == "failed" and hosts["worker02"]["failed_task"] == "break worker02"
    assert hosts["worker02"]["recap"]["failed"] == 1 and hosts["cp1"]["recap"]["failed"] == 0
    assert len(doc["tasks"]) == 6 and [t["name"] for t in doc["tasks"]][-1] == "after the failure"
    assert len(hosts["cp1"]["tasks"]) == 6 and len(hosts["worker02"]["tasks"]) == 5
    assert all(c["duration_ms"] >= 200 for c in hosts["cp1"]["tasks"] if doc["tasks"][c["task"]]["name"] == "after the failure")
    assert hosts["cp1"]["tasks"][3]["items"] == 2
print("schema ok")
EOF
check "summary.json and --report FILE.json follow docs/report-schema.json and tell the story" "$py '$work/schema.py' '$schema' '$folder/summary.json' '$work/report.json' >'$work/out' 2>&1"

# --- the HTML report: self-contained, rendered by headless Chromium
html=$work/report.html
check "the HTML report fetches nothing: no URL, src, href, url() or @import" "[ -s '$html' ] && ! grep -qiE 'https?:|//|src=|href=|url\(|@import' '$html'"
check "chromium is installed (the HTML check needs it)" "[ -n '$chromium' ]"
if [ -n "$chromium" ]; then
  chrome=(timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
          --user-data-dir="$work/chrome" --hide-scrollbars)
  "${chrome[@]}" --dump-dom "file://$html" >"$work/dom.html" 2>"$work/chrome.err"
  cp "$work/dom.html" "$work/out"
  check "chromium renders the page: a recap row and a timeline row per host" "[ \$(grep -o 'class=\"host-row ' '$work/dom.html' | wc -l) = 3 ] && [ \$(grep -o 'class=\"tl-row host-line ' '$work/dom.html' | wc -l) = 3 ]"
  check "the timeline has a cell per task per host, worker02's failure in red" "[ \$(grep -o '<div class=\"cell s-' '$work/dom.html' | wc -l) = 17 ] && grep -q 'class=\"cell s-failed\" style=\"[^\"]*\" title=\"break worker02\$' '$work/dom.html'"
  check "the page's script ran (hosts shown counted)" "grep -q '<span id=\"shown\">3</span>' '$work/dom.html'"
  "${chrome[@]}" --screenshot="$work/report.png" --window-size=1400,1100 "file://$html" >/dev/null 2>>"$work/chrome.err"
  check "chromium takes a screenshot of it" "[ \$(stat -c %s '$work/report.png' 2>/dev/null || echo 0) -gt 20000 ]"
  if [ -n "${REPORTS_TEST_KEEP:-}" ]; then mkdir -p "$REPORTS_TEST_KEEP" && cp "$html" "$work/report.png" "$work/report.json" "$REPORTS_TEST_KEEP/"; fi
fi

# --- live progress under a pseudo-terminal
pty() {  # pty ARGS...: fleetk8s ARGS on a pseudo-terminal; output in $work/out
  local cmd="cd '$work' && TERM=xterm COLUMNS=120 '$bin'"
  for a in "$@"; do cmd+=" '$a'"; done
  script -qec "$cmd" /dev/null >"$work/out" 2>&1; echo $? >"$work/rc"
}
pty "${book[@]}" --run-dir "$runs"
check "on a terminal: the status line is redrawn in place with counts and elapsed time" "grep -q \$'\\r\\e\\[K' '$work/out' && has 'pending [0-9]+' && has 'ok [0-9]+' && has 'failed [0-9]+' && has 'unreachable [0-9]+' && has '[0-9]{2}:[0-9]{2}'"
check "on a terminal: the failure is printed as a line, under its TASK banner" "grep -a -B1 '^fatal: \[worker02\]' '$work/out' | grep 'TASK \[break worker02\]' >/dev/null"
check "on a terminal: the recap is there at the end, ok lines are not" "has '^PLAY RECAP' && [ \$(count '^(cp1|worker0[12]) +: ok=') = 3 ] && ! has '^changed: \[cp1\]' && [ \$(rc) = 2 ]"
pty "${book[@]}" --run-dir "$runs" --no-progress
tr -d '\r' <"$work/out" | sort >"$work/noprogress.sorted"
sort "$work/plain.out" >"$work/plain.sorted"
check "--no-progress on a terminal prints the same lines as without a terminal" "! grep -q \$'\\e' '$work/out' && cmp -s '$work/noprogress.sorted' '$work/plain.sorted'"

# --- -vv, old runs, an unwritable run folder, a bad --report name
fk "${book[@]}" --run-dir "$runs" -vv --keep-runs 2
check "-vv shows each command with rc, time and output lines" "has '^  \[cp1\] rc=0 [0-9.]+s\$' && has '^  cp1 \| hello from cp1' && has '^  worker02 ! broken'"
check "--keep-runs 2 leaves the newest 2 run folders, last the newest" "[ \$(ls -d '$runs'/*-run-* | wc -l) = 2 ] && [ \"\$(readlink '$runs/last')\" = \"\$(ls -d '$runs'/*-run-* | sort | tail -1 | xargs basename)\" ]"
fk "${book[@]}" --run-dir /proc/fleetk8s-no
check "a run folder that cannot be written is a warning, the run goes on" "[ \$(rc) = 2 ] && has 'cannot create the run folder' && has '^PLAY RECAP'"
fk "${book[@]}" --report "$work/report.txt"
check "--report with another extension is refused, naming it" "[ \$(rc) = 1 ] && has 'report.txt.*must end in .json or .html' && ! has 'PLAY RECAP'"

finish
