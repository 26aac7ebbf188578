#!/usr/bin/env bash
# Compares fleetk8s's facts for this machine with Ansible's.
#
#   tests/compat/facts-compat.sh FACTS_DUMP_BIN
#
# Runs `ansible localhost -m setup` and FACTS_DUMP_BIN (fleetk8s_facts_dump:
# parse_facts(facts_script()) run here) and compares every fact fleetk8s
# produces with Ansible's ansible_<name>: same value, same type (a number is
# not a string). Inside a dict fleetk8s produces every key Ansible has
# (date_time only epoch and iso8601). Facts that move between the two runs
# are compared with a tolerance: free memory and swap (2% of the total or
# 64 MB), uptime and the clock (120 s). `interfaces` is compared as a set:
# Ansible's order is a hash order. Facts fleetk8s promises but did not
# produce here are failures too. Prints each mismatch, then
# "N facts equal, M differ"; exits 1 on any mismatch, 2 if it cannot run.
set -u
# A stdin of its own: tests run side by side share ctest's, and an ssh client in
# another test may have made it non-blocking, which Ansible refuses.
exec </dev/null

if [ $# -ne 1 ]; then
  echo "usage: $0 FACTS_DUMP_BIN" >&2
  exit 2
fi
bin=$1
if [ ! -x "$bin" ]; then
  echo "facts-compat: $bin is not executable" >&2
  exit 2
fi
if ! command -v ansible >/dev/null 2>&1; then
  echo "facts-compat: ansible not found (install ansible-core)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A neutral Ansible: no user or project ansible.cfg.
: >"$work/ansible.cfg"
export ANSIBLE_CONFIG="$work/ansible.cfg"
export ANSIBLE_NOCOLOR=true
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_DEPRECATION_WARNINGS=false

if ! (cd "$work" && ansible localhost -o -m setup) >"$work/ansible.out" 2>"$work/ansible.err"; then
  echo "facts-compat: ansible setup failed:" >&2
  sed 's/^/  /' "$work/ansible.err" "$work/ansible.out" >&2
  exit 2
fi
if ! "$bin" >"$work/fleetk8s.json" 2>"$work/fleetk8s.err"; then
  echo "facts-compat: $bin failed:" >&2
  sed 's/^/  /' "$work/fleetk8s.err" >&2
  exit 2
fi

python3 - "$work/ansible.out" "$work/fleetk8s.json" <<'PY'
import datetime, json, sys

PROMISED = """hostname nodename fqdn domain system kernel kernel_version architecture machine
distribution distribution_version distribution_major_version distribution_release os_family
processor_vcpus processor_count processor_cores processor_threads_per_core processor_nproc
memtotal_mb memfree_mb swaptotal_mb swapfree_mb memory_mb uptime_seconds machine_id selinux
service_mgr pkg_mgr user_id user_dir interfaces default_ipv4 all_ipv4_addresses date_time""".split()
PARTIAL = {"date_time"}  # dicts fleetk8s fills only in part

text = open(sys.argv[1]).read()
ansible = {k[len("ansible_"):]: v for k, v in json.loads(text[text.index("{"):])["ansible_facts"].items()
           if k.startswith("ansible_")}
ours = json.load(open(sys.argv[2]))

def kind(v):
    if isinstance(v, bool): return "bool"
    if isinstance(v, int): return "int"
    if isinstance(v, float): return "float"
    if v is None: return "null"
    if isinstance(v, str): return "string"
    if isinstance(v, list): return "list"
    return "object"

mem_total = ansible.get("memtotal_mb") or 0
swap_total = ansible.get("swaptotal_mb") or 0

def tolerance(path):
    """How far apart the two runs may be for a fact that moves, else 0."""
    if path in ("memfree_mb",) or path.startswith(("memory_mb.real.free", "memory_mb.real.used", "memory_mb.nocache.")):
        return max(64, mem_total * 0.02)
    if path == "swapfree_mb" or path in ("memory_mb.swap.free", "memory_mb.swap.used", "memory_mb.swap.cached"):
        return max(64, swap_total * 0.02)
    if path in ("uptime_seconds", "date_time.epoch", "date_time.iso8601"):
        return 120
    return 0

def as_number(path, v):
    if path == "date_time.iso8601":
        return datetime.datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ").timestamp()
    return float(v)

out = []
def diff(path, a, b):
    if kind(a) != kind(b):
        out.append(f"  {path}: ansible {json.dumps(a)} ({kind(a)}), fleetk8s {json.dumps(b)} ({kind(b)})")
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            p = f"{path}.{k}"
            if k not in a:
                out.append(f"  {p}: extra in fleetk8s ({json.dumps(b[k])})")
            elif k not in b:
                if path not in PARTIAL:
                    out.append(f"  {p}: missing in fleetk8s (ansible {json.dumps(a[k])})")
            else:
                diff(p, a[k], b[k])
    elif path == "interfaces":
        if sorted(a) != sorted(b):
            out.append(f"  {path}: ansible {sorted(a)}, fleetk8s {sorted(b)} (as sets)")
    elif tolerance(path) and a is not None:
        if abs(as_number(path, a) - as_number(path, b)) > tolerance(path):
            out.append(f"  {path}: ansible {json.dumps(a)}, fleetk8s {json.dumps(b)} (beyond {tolerance(path):g})")
    elif a != b:
        out.append(f"  {path}: ansible {json.dumps(a)}, fleetk8s {json.dumps(b)}")

equal = differ = 0
for name in sorted(set(ours) | set(PROMISED)):
    before = len(out)
    if name not in ours:
        out.append(f"  {name}: not produced by fleetk8s (ansible {json.dumps(ansible.get(name))})")
    elif name not in ansible:
        out.append(f"  {name}: fleetk8s {json.dumps(ours[name])}, ansible has no such fact")
    else:
        diff(name, ansible[name], ours[name])
    if len(out) == before:
        equal += 1
        print(f"ok   {name}")
    else:
        differ += 1
        print(f"FAIL {name}:")
        print("\n".join(out[before:]))
print(f"{equal} facts equal, {differ} differ")
sys.exit(1 if differ else 0)
PY
