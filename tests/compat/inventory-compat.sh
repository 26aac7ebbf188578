#!/usr/bin/env bash
# Compares fleetk8s's reading of every sample inventory with Ansible's.
#
#   tests/compat/inventory-compat.sh FLEETK8S_BIN
#
# For each inventories/*.{ini,yml} and tests/data/inventories/*.{ini,yml}
# and tests/data/inventories/*/*.{ini,yml} (a subdirectory keeps its
# group_vars/ and host_vars/ to itself), except *-invalid*, runs `ansible-inventory -i F --list` and
# `FLEETK8S_BIN inventory list -i F` and compares the parsed JSON: same
# structure, same list order, same values and types (a bool is not an int,
# a string is not a number; 1 and 1.0 are equal because JSON does not keep
# the difference). Prints a readable diff per mismatch, then
# "N passed, M failed"; exits 1 if anything failed, 2 if it cannot run.
set -u
# A stdin of its own: tests run side by side share ctest's, and an ssh client in
# another test may have made it non-blocking, which Ansible refuses.
exec </dev/null

if [ $# -ne 1 ]; then
  echo "usage: $0 FLEETK8S_BIN" >&2
  exit 2
fi
bin=$1
if [ ! -x "$bin" ]; then
  echo "inventory-compat: $bin is not executable" >&2
  exit 2
fi
if ! command -v ansible-inventory >/dev/null 2>&1; then
  echo "inventory-compat: ansible-inventory not found (install ansible-core)" >&2
  exit 2
fi

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A neutral Ansible: no user or project ansible.cfg, failures are failures.
: >"$work/ansible.cfg"
export ANSIBLE_CONFIG="$work/ansible.cfg"
export ANSIBLE_INVENTORY_UNPARSED_FAILED=true
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true
export ANSIBLE_NOCOLOR=true
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_DEPRECATION_WARNINGS=false

compare() {  # compare EXPECTED.json ACTUAL.json: prints differences, exit 1 if any
  python3 - "$1" "$2" <<'PY'
import json, sys

def kind(v):
    if isinstance(v, bool): return "bool"
    if isinstance(v, (int, float)): return "number"
    if v is None: return "null"
    if isinstance(v, str): return "string"
    if isinstance(v, list): return "list"
    return "object"

def show(v):
    return json.dumps(v, sort_keys=True)

def diff(path, a, b, out):
    where = path or "(top)"
    if kind(a) != kind(b):
        out.append(f"  {where}: ansible {show(a)} ({kind(a)}), fleetk8s {show(b)} ({kind(b)})")
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            p = f"{path}.{k}" if path else k
            if k not in b:
                out.append(f"  {p}: missing in fleetk8s (ansible {show(a[k])})")
            elif k not in a:
                out.append(f"  {p}: extra in fleetk8s ({show(b[k])})")
            else:
                diff(p, a[k], b[k], out)
    elif isinstance(a, list):
        scalars = all(kind(x) not in ("list", "object") for x in a + b)
        if len(a) != len(b) or (scalars and any(kind(x) != kind(y) or x != y for x, y in zip(a, b))):
            out.append(f"  {where}: ansible {show(a)}, fleetk8s {show(b)}")
        elif not scalars:
            for i, (x, y) in enumerate(zip(a, b)):
                diff(f"{where}[{i}]", x, y, out)
    elif a != b:
        out.append(f"  {where}: ansible {show(a)}, fleetk8s {show(b)}")

with open(sys.argv[1]) as f: expected = json.load(f)
with open(sys.argv[2]) as f: actual = json.load(f)
out = []
diff("", expected, actual, out)
print("\n".join(out))
sys.exit(1 if out else 0)
PY
}

passed=0
failed=0
shopt -s nullglob
for f in "$root"/inventories/*.ini "$root"/inventories/*.yml \
         "$root"/tests/data/inventories/*.ini "$root"/tests/data/inventories/*.yml \
         "$root"/tests/data/inventories/*/*.ini "$root"/tests/data/inventories/*/*.yml; do
  case "$(basename "$f")" in *-invalid*) continue ;; esac
  name=${f#"$root"/}
  if ! (cd "$work" && ansible-inventory -i "$f" --list) >"$work/expected.json" 2>"$work/ansible.err"; then
    echo "FAIL $name: ansible-inventory failed:"
    sed 's/^/  /' "$work/ansible.err"
    failed=$((failed + 1))
    continue
  fi
  if ! "$bin" inventory list -i "$f" >"$work/actual.json" 2>"$work/fleetk8s.err"; then
    echo "FAIL $name: fleetk8s failed:"
    sed 's/^/  /' "$work/fleetk8s.err"
    failed=$((failed + 1))
    continue
  fi
  if report=$(compare "$work/expected.json" "$work/actual.json" 2>&1); then
    echo "ok   $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name: output differs:"
    echo "$report"
    failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
