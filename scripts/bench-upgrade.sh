#!/usr/bin/env bash
# Benchmark of `fleetk8s upgrade`: sandbox clusters of 1 control plane + N workers
# brought up at Kubernetes 1.33 (`fleetk8s up -e kubernetes_version=1.33`), then
# `upgrade --to 1.34 --yes` with --max-unavailable 1 and 25%, each on a freshly
# built 1.33 cluster, and `upgrade --plan --to 1.34` once per size. Per run: the
# wall time, the controller's CPU (user+system) and peak RSS (GNU time, or
# getrusage of the child without it: fleetk8s is one process), the batches and
# nodes from the output, and where the wall time went (from the run folder's
# events.jsonl: per phase, and per step of each batch). Then a table, the load
# and the commit. The only assertion: each upgrade exits 0 (otherwise its output's
# tail is printed and the script stops).
#
# A fresh 1.33 cluster per run: the fleet is torn down and started again, then `up`.
# `fleetk8s reset` and `up` again does not give one: reset keeps the packages, so `up`
# keeps 1.34 ("fleetk8s never downgrades a cluster"). That alternative is timed once
# per size, on the last upgraded cluster, and printed with the version it leaves.
#
# Usage: scripts/bench-upgrade.sh [--sizes "3 19"] [--binary PATH] [--keep]
#   --sizes "N..."  worker counts (default "3 19": 1+3 and 1+19 hosts)
#   --binary PATH   the fleetk8s to measure (default build/src/cli/fleetk8s; never built here),
#                   with the playbooks of $FLEETK8S_PLAYBOOK_DIR, else the repository's playbooks/
#                   (both are copied at the start, and so is the sandbox: a build or an edit
#                   meanwhile changes nothing)
#   --keep          leave the last fleet running (its `down` command is printed)
# The fleet lives on 127.0.98.x, port 2498; the whole run holds /tmp/fk-sandbox-98.lock.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes="3 19" bin=$root/build/src/cli/fleetk8s keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=${2:?--sizes needs a list of worker counts}; shift 2 ;;
    --binary) bin=${2:?--binary needs a path}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,/^set -e/{/^set -e/d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
    *) echo "bench-upgrade: unknown argument '$1' (see --help)" >&2; exit 1 ;;
  esac
done
for n in $sizes; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench-upgrade: --sizes: '$n' is not a number of workers" >&2; exit 1; }
done
if [ ! -x "$bin" ]; then
  echo "bench-upgrade: no fleetk8s at $bin; build it with: scripts/build.sh fleetk8s (this script never builds)" >&2
  exit 1
fi
playbooks=${FLEETK8S_PLAYBOOK_DIR:-$root/playbooks}
net=98 port=2498 lock=/tmp/fk-sandbox-98.lock
work=$(mktemp -d /tmp/fk-bench-upgrade.XXXXXX)
dir=$work/fleet inv=$work/fleet/inventory.ini
# What is measured is copied first, so that a build or an edit during the run
# cannot change it half way: the binary, the playbooks it runs, and the
# sandbox (sandbox-fleet and the stand-ins of scripts/sandbox, which it finds
# next to itself).
built=$(date -u -r "$bin" '+%F %T UTC')
cp "$bin" "$work/fleetk8s"
cp -r "$playbooks" "$work/playbooks"
mkdir "$work/rig"
cp -a "$root/scripts/sandbox-fleet" "$work/rig/"
cp -a "$root/scripts/sandbox" "$work/rig/"  # -a: the same key for its base-layer cache
bin_from=$bin bin=$work/fleetk8s fleet=$work/rig/sandbox-fleet
export FLEETK8S_PLAYBOOK_DIR=$work/playbooks
# Run folders and the upgrade's etcd snapshots stay in here, not in ~/.local/state.
export XDG_STATE_HOME=$work/state
cd "$work"  # up writes the cluster's kubeconfig into the current directory

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$keep" = 1 ] && [ -f "$dir/inventory.ini" ]; then
    echo "the fleet stays (--keep): $inv; remove it with: $fleet down $dir"
  else
    "$fleet" down "$dir" >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# fd 9 holds the lock; every command started below gets 9>&- so that no fleet
# daemon keeps it after this script.
exec 9>"$lock"
if ! flock -n 9; then
  echo "bench-upgrade: waiting for $lock (another run on net $net)" >&2
  flock 9
fi

since() { awk -v a="${EPOCHREALTIME/,/.}" -v b="${1/,/.}" 'BEGIN { printf "%.2f", a - b }'; }

# timed NAME CMD...: runs CMD with its output in $work/NAME.out and "WALL CPU RSS_MB"
# (seconds, user+system seconds, peak RSS) in $work/NAME.use; returns CMD's status.
timed() {
  local name=$1 rc=0; shift
  if [ -x /usr/bin/time ]; then
    # On failure GNU time writes "Command exited with non-zero status N" first.
    /usr/bin/time -o "$work/$name.rusage" -f '%e %U %S %M' "$@" >"$work/$name.out" 2>&1 9>&- || rc=$?
  else
    python3 -c '
import resource, subprocess, sys, time
start = time.monotonic()
rc = subprocess.run(sys.argv[2:]).returncode
wall = time.monotonic() - start
r = resource.getrusage(resource.RUSAGE_CHILDREN)  # this python ran just the one child
open(sys.argv[1], "w").write(f"{wall:.2f} {r.ru_utime:.2f} {r.ru_stime:.2f} {r.ru_maxrss}\n")
sys.exit(rc if rc >= 0 else 128 - rc)' "$work/$name.rusage" "$@" >"$work/$name.out" 2>&1 9>&- || rc=$?
  fi
  tail -1 "$work/$name.rusage" | awk '{ printf "%.2f %.2f %.1f\n", $1, $2 + $3, $4 / 1024 }' >"$work/$name.use"
  return "$rc"
}
use() { cut -d' ' -f"$2" "$work/$1.use"; }  # use NAME 1|2|3: wall, CPU or RSS of a timed run

rows=()
# table: the figures so far, the time taken, the load.
table() {
  echo
  echo "fleetk8s upgrade on the sandbox fleet (commit $commit, $(nproc) cores; batches: control plane + workers; CPU: user+system of fleetk8s)"
  printf '%-6s %-30s %-8s %7s %6s %7s %6s %7s  %s\n' hosts run batches "at once" nodes "wall s" "CPU s" "RSS MB" "from -> to"
  [ ${#rows[@]} -eq 0 ] || printf '%s\n' "${rows[@]}"
  echo "bench-upgrade took $(since "$started") s; load after: $(uptime)"
}

# fail NAME WHAT STATUS: WHAT exited STATUS; prints the tail of its output and
# the figures so far, and stops.
fail() {
  [ "$3" != 130 ] || exit 130  # interrupted (Ctrl-C): fleetk8s said so
  echo "bench-upgrade: $2 exited $3; the last lines of its output:"
  tail -40 "$work/$1.out" | sed 's/^/    | /'
  table
  exit 1
}

# fresh_cluster HOSTS: a new fleet of HOSTS, and `up` at 1.33 on it.
fresh_cluster() {
  local t0=$EPOCHREALTIME
  "$fleet" down "$dir" >/dev/null 2>&1 || true
  "$fleet" up --net "$net" --port "$port" "$1" "$dir" >"$work/fleet.out" 2>&1 9>&- ||
    { echo "bench-upgrade: sandbox-fleet up failed:"; tail -20 "$work/fleet.out"; exit 1; }
  fresh_fleet_s=$(since "$t0")
  timed up "$bin" up "$inv" -e kubernetes_version=1.33 || fail up "fleetk8s up" $?
}

# breakdown RUNDIR: where a run's wall time went, from its events.jsonl: the
# phases, then the rollout's batches (which run one after the other) by step:
# its progress lines ("worker01: drain") mark the steps, task results the
# playbooks' share; what follows the kubelet playbook is the controller's waits
# (split by the nodes' milestones "Ready" and "uncordoned" where the run has them).
breakdown() {
  python3 - "$1" <<'PY'
import json, re, sys
from collections import defaultdict
from datetime import datetime, timezone

def at(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()

events = [json.loads(line) for line in open(sys.argv[1] + "/events.jsonl")]
end = at(json.load(open(sys.argv[1] + "/summary.json"))["finished"])
phases = [(at(e["time"]), e["title"]) for e in events if e["event"] == "phase"]
spans = [(t, (phases[i + 1][0] if i + 1 < len(phases) else end), title) for i, (t, title) in enumerate(phases)]
print("  by phase: " + "; ".join(f"{title} {b - a:.2f} s" for a, b, title in spans))

# The progress lines of the rollout: "cp1: kubeadm ...", "worker01, worker02: drain", ...
step = re.compile(r"^([\w.-]+(?:, [\w.-]+)*): (kubeadm|drain$|kubelet and kubectl|at \S+$)")
marks = []  # (time, batch, kind)
for e in events:
    if e["event"] == "message":
        m = step.match(e["text"])
        if m:
            marks.append((at(e["time"]), m.group(1), m.group(2).split()[0]))
results = [e for e in events if e["event"] == "result"]
milestones = [e for e in events if e["event"] == "milestone"]
if not marks:
    print("  rollout: no node upgraded")
    sys.exit(0)

# Task wall time within [a, b): per task name, last end - first start over the batch's hosts.
def tasks(a, b):
    spans = defaultdict(lambda: [float("inf"), 0.0])
    for r in results:
        s, f = at(r["start"]), at(r["end"])
        if a <= s < b and r["status"] != "skipped":
            spans[r["task"]][0] = min(spans[r["task"]][0], s)
            spans[r["task"]][1] = max(spans[r["task"]][1], f)
    return {k: f - s for k, (s, f) in spans.items()}

total = defaultdict(float)
task_total = defaultdict(float)
slowest = (0.0, "")
for (t, batch, kind), nxt in zip(marks, marks[1:] + [(end, "", "end")]):
    d = nxt[0] - t
    if kind == "kubeadm":
        total["kubeadm step (its playbook)"] += d
        for k, v in tasks(t, nxt[0]).items():
            task_total[k] += v
    elif kind == "drain":
        total["drain"] += d
    elif kind == "kubelet":
        for k, v in tasks(t, nxt[0]).items():
            task_total[k] += v
        played = max([at(r["end"]) for r in results if t <= at(r["start"]) < nxt[0]] or [t])
        total["kubelet step (its playbook)"] += played - t
        # The controller's waits after it, split where the run folder has the
        # nodes' milestones: Ready, then uncordoned, then no pod Pending.
        hosts = batch.split(", ")
        ready = [at(e["time"]) for e in milestones if e["host"] in hosts and e["what"] == "Ready" and t <= at(e["time"]) <= nxt[0]]
        uncordoned = [at(e["time"]) for e in milestones if e["host"] in hosts and e["what"] == "uncordoned" and t <= at(e["time"]) <= nxt[0]]
        if ready and uncordoned:
            total["wait for Ready"] += max(ready) - played
            total["uncordon"] += max(uncordoned) - max(ready)
            total["wait until no pod Pending"] += nxt[0] - max(uncordoned)
        else:
            total["Ready, uncordon, no pod Pending"] += nxt[0] - played
    else:
        total["between batches" if nxt[2] != "end" else "after the last batch"] += d
    # a batch runs from its "kubeadm" line to its "at" line
    if kind == "kubeadm":
        started = t
    if kind == "at" and t - started > slowest[0]:
        slowest = (t - started, batch)
rollout = end - marks[0][0]
print(f"  rollout {rollout:.2f} s: " + "; ".join(f"{k} {v:.2f} s" for k, v in total.items()))
print("  tasks of the rollout (summed over batches): "
      + "; ".join(f"{k} {v:.2f} s" for k, v in sorted(task_total.items(), key=lambda kv: -kv[1])))
print(f"  slowest batch: {slowest[1]} {slowest[0]:.2f} s")
PY
}

commit=$(git -C "$root" rev-parse --short HEAD)
dirty=
[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] || dirty=" (the working tree has changes)"
echo "bench-upgrade: $bin_from (built $built) with the playbooks of $playbooks, copied; commit $commit$dirty, $(nproc) cores"
echo "fleet on 127.0.$net.x:$port in $dir; load before: $(uptime)"
started=$EPOCHREALTIME
for n in $sizes; do
  hosts=$((n + 1))
  echo
  echo "== 1 control plane + $n workers ($hosts hosts)"
  for m in 1 25%; do
    fresh_cluster "$hosts"
    echo "fresh 1.33 cluster: sandbox fleet down+up $fresh_fleet_s s, fleetk8s up $(use up 1) s"
    if [ "$m" = 1 ]; then
      timed plan "$bin" upgrade "$inv" --plan --to 1.34 || fail plan "fleetk8s upgrade --plan" $?
      echo "upgrade --plan --to 1.34: $(use plan 1) s, controller CPU $(use plan 2) s, peak RSS $(use plan 3) MB"
      rows+=("$(printf '%-6s %-30s %-8s %7s %6s %7s %6s %7s  %s' "$hosts" "upgrade --plan" - - - \
        "$(use plan 1)" "$(use plan 2)" "$(use plan 3)" -)")
    fi
    timed upgrade "$bin" upgrade "$inv" --to 1.34 --yes --max-unavailable "$m" ||
      fail upgrade "fleetk8s upgrade --to 1.34 --yes --max-unavailable $m" $?
    out=$work/upgrade.out
    # "    2. workers 4 at a time (--max-unavailable 25%): [worker01 ...] [worker05 ...]"
    plan_workers=$(grep -E '^ +[0-9]+\. workers [0-9]+ at a time' "$out" | head -1 || true)
    per_batch=$(sed -nE 's/^ +[0-9]+\. workers ([0-9]+) at a time.*/\1/p' <<<"$plan_workers")
    worker_batches=$( (grep -o '\[' <<<"$plan_workers" || true) | wc -l)
    cp_batches=$(grep -cE '^ +[0-9]+\. [^ ]+: kubeadm [0-9.]+, kubeadm upgrade' "$out" || true)
    nodes=$( (grep -E '^[a-z0-9., -]+: at [0-9.]+$' "$out" || true) | sed 's/: at .*//; s/, /\n/g' | wc -l)
    from=$(sed -nE 's/^upgrade plan: the cluster runs ([0-9.]+) .*/\1/p' "$out" | head -1)
    to=$(sed -nE 's/^every node runs Kubernetes ([0-9.]+)$/\1/p' "$out" | tail -1)
    echo "upgrade --max-unavailable $m: $(use upgrade 1) s, controller CPU $(use upgrade 2) s, peak RSS $(use upgrade 3) MB;" \
      "$cp_batches control-plane + $worker_batches worker batches of ${per_batch:-?}, $nodes nodes upgraded, ${from:-?} -> ${to:-?}"
    breakdown "$XDG_STATE_HOME/fleetk8s/runs/last" || echo "  (no breakdown: the run folder's events were not as expected)"
    rows+=("$(printf '%-6s %-30s %-8s %7s %6s %7s %6s %7s  %s' "$hosts" "upgrade --max-unavailable $m" \
      "$cp_batches+$worker_batches" "${per_batch:-?}" "$nodes" "$(use upgrade 1)" "$(use upgrade 2)" "$(use upgrade 3)" "${from:-?} -> ${to:-?}")")
  done
  # The alternative to a new fleet, on the upgraded cluster: reset, then up at 1.33.
  t0=$EPOCHREALTIME step=reset
  if timed reset "$bin" reset "$inv" --yes && step=up-again && timed up-again "$bin" up "$inv" -e kubernetes_version=1.33; then
    kubelet=$("$fleet" exec "$dir" cp1 -- rpm -q kubelet 2>/dev/null 9>&- | sed -nE 's/^kubelet-([0-9.]+)-.*/\1/p' || true)
    echo "instead of a new fleet: fleetk8s reset + up $(since "$t0") s (a new fleet + up: $fresh_fleet_s + $(use up 1) s)," \
      "but the cluster then runs kubelet ${kubelet:-?}$([[ $kubelet == 1.33.* ]] || echo ' (reset keeps the packages): not a clean 1.33 cluster')"
  else
    echo "instead of a new fleet: fleetk8s reset + up: $step failed after $(since "$t0") s; its last lines:"
    tail -5 "$work/$step.out" | sed 's/^/    | /'
  fi
done

table
