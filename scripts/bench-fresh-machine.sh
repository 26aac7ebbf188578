#!/usr/bin/env bash
# Measures what README's "Try it" promises: on a fresh Debian 12 machine, a fresh
# clone to its first `fleetk8s up` finished, package installation included.
#
#   sudo scripts/bench-fresh-machine.sh [DIR]     DIR defaults to /tmp/fresh-debian
#
# The fresh machine: `debootstrap bookworm` (the default variant: a Debian 12 install
# without "standard system utilities", plus git), built once into DIR/base and copied
# to DIR/root for every run, with the apt sources of a real install (bookworm,
# bookworm-updates, bookworm-security). It runs as a container of its own: a private
# mount and PID namespace whose root is DIR/root (pivot_root, so `sandbox-fleet exec`,
# which enters a host's mount namespace, lands in it and not on this machine), with
# its own /proc, /sys, /dev, /dev/pts, /dev/shm and /run. Nothing is mounted in this
# machine's namespace, so nothing can be left mounted; when the run ends, for any
# reason, the kernel ends every process in it (the sandbox fleet's sshd too).
#
# The commit checked out here (HEAD) is cloned into its /root/fleetk8s with
# `git clone file://...` (what a clone over the network transfers), then
# `scripts/demo.sh` runs there as root, its output time-stamped into DIR/demo.log.
# Prints the figures: the phases of demo.sh (packages, libssh2, compile, fleet, first
# `up`) and the time from the clone to the first `up` finished.
#
# It shares this machine's network and kernel: the demo fleet goes to
# 127.0.$FLEET_NET.x:$FLEET_PORT (default 98 / 2498), so it meets no other fleet, and
# /usr/sbin/policy-rc.d in it keeps package scripts from starting daemons (the Debian
# openssh-server would start an sshd on port 22; on a real machine systemd starts it).
# The demo holds /tmp/fk-build.lock, as the other builds on this machine do, so none
# of them competes with it; `uptime` is printed before and after.
#
# Environment: FLEET_NET, FLEET_PORT (see above), MIRROR (default: this machine's
# Debian mirror), REBUILD_BASE=1 (debootstrap again), LOCK (default /tmp/fk-build.lock;
# empty: none). Needs root, debootstrap (installed when missing), util-linux.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$(realpath -m "${1:-/tmp/fresh-debian}")
base=$dir/base root=$dir/root
net=${FLEET_NET:-98} port=${FLEET_PORT:-2498}
lock=${LOCK-/tmp/fk-build.lock}
log=$dir/demo.log
[[ $(id -u) -eq 0 ]] || { echo "bench-fresh-machine: needs root (debootstrap, namespaces, mounts)" >&2; exit 1; }
case $dir/ in "$src"/*) echo "bench-fresh-machine: DIR must lie outside the repository" >&2; exit 1 ;; esac
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
mirror=${MIRROR:-$(apt-get indextargets --format '$(REPO_URI) $(LABEL)' 2>/dev/null | awk '$2 == "Debian" { print $1; exit }')}
mirror=${mirror:-http://deb.debian.org/debian/}
mirror=${mirror%/}
security=${mirror%/debian}/debian-security
mkdir -p "$dir"

# ---------------------------------------------------------------- the fresh machine
# boot ROOT SRC CMD...: run inside the new namespaces (as their PID 1): mounts the
# machine's file systems on ROOT (and SRC read-only on ROOT/mnt/fleetk8s-src when
# given), makes ROOT the root and becomes CMD.
read -r -d '' BOOT <<'EOF' || true
set -e
r=$1 src=$2; shift 2
mount --bind "$r" "$r"
mount -t proc proc "$r/proc"
mount -t sysfs sysfs "$r/sys"
mount --bind /dev "$r/dev"
mount --bind /dev/pts "$r/dev/pts"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$r/dev/shm"
mount -t tmpfs -o mode=755,nosuid,nodev run "$r/run"
if [ -n "$src" ]; then
  mkdir -p "$r/mnt/fleetk8s-src"
  mount --bind -o ro "$src" "$r/mnt/fleetk8s-src"
  mount -o remount,bind,ro "$r/mnt/fleetk8s-src"
fi
cd "$r"
pivot_root . .
umount -l .
cd /
exec "$@"
EOF
# in_root [--src] CMD: runs the bash command CMD as root in the fresh machine, in a
# fresh login-like environment. Its unshare's pid goes to DIR/ns.pid (for the trap).
in_root() {
  local with_src=
  [[ $1 == --src ]] && { with_src=$src; shift; }
  echo "$BASHPID" >"$dir/ns.pid"
  exec unshare --mount --pid --fork --kill-child --propagation private -- \
    /bin/bash -c "$BOOT" boot "$root" "$with_src" \
    /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    FLEET_NET="$net" FLEET_PORT="$port" /bin/bash -c "$1"
}
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  # Ending the unshare ends its child (--kill-child), PID 1 of the namespace, and with it
  # everything inside. SIGKILL: unshare --fork ignores SIGINT and SIGTERM.
  if [[ -f $dir/ns.pid ]]; then
    pid=$(<"$dir/ns.pid")
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == unshare ]] && kill -KILL "$pid" 2>/dev/null
    rm -f "$dir/ns.pid"
  fi
  if findmnt -rn -o TARGET | grep -qF "$dir/"; then
    echo "bench-fresh-machine: still mounted under $dir:" >&2
    findmnt -rn -o TARGET | grep -F "$dir/" >&2
    rc=1
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ${REBUILD_BASE:-0} == 1 || ! -f $base/.bench-base-done ]]; then
  rm -rf --one-file-system "$base"
  echo "bench-fresh-machine: debootstrap bookworm into $base from $mirror/" >&2
  debootstrap --include=git bookworm "$base" "$mirror/" >"$dir/debootstrap.log" 2>&1 ||
    { tail -n 20 "$dir/debootstrap.log" >&2; exit 1; }
  touch "$base/.bench-base-done"
fi
if findmnt -rn -o TARGET | grep -qF "$dir/"; then
  echo "bench-fresh-machine: something is mounted under $dir; unmount it first" >&2
  exit 1
fi
rm -rf --one-file-system "$root"
cp -a "$base" "$root"
rm -f "$root/.bench-base-done"
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror/ bookworm main
deb $mirror/ bookworm-updates main
deb $security/ bookworm-security main
EOF
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo fresh-debian >"$root/etc/hostname"

# Each output line prefixed with the seconds since $1 (an $EPOCHREALTIME), 3 decimals.
stamp() {
  local t0=${1/[.,]/} line now
  while IFS= read -r line; do
    now=${EPOCHREALTIME/[.,]/}
    printf '%4d.%03d %s\n' $(( (now - t0) / 1000000 )) $(( (now - t0) / 1000 % 1000 )) "$line"
  done
}

# ---------------------------------------------------------------- the run
commit=$(git -C "$src" rev-parse --short HEAD)
echo "bench-fresh-machine: fresh Debian 12 in $root; cloning $commit; fleet on 127.0.$net.x:$port" >&2
t=$EPOCHREALTIME
(in_root --src 'git clone -q file:///mnt/fleetk8s-src /root/fleetk8s')
rm -f "$dir/ns.pid"
clone_ms=$(( (${EPOCHREALTIME/[.,]/} - ${t/[.,]/}) / 1000 ))

if [[ -n $lock ]]; then
  exec 8>"$lock"
  echo "bench-fresh-machine: waiting for $lock" >&2
  flock 8
fi
load_before=$(uptime)
echo "bench-fresh-machine: running scripts/demo.sh (log: $log)" >&2
t0=$EPOCHREALTIME demo_rc=0
# fd 8 (the lock) stays with this shell: nothing in the fresh machine may keep it.
# In the background, so that a signal reaches the trap at once (wait returns for it).
{ in_root 'cd /root/fleetk8s && scripts/demo.sh' 2>&1 | stamp "$t0" | tee "$log" >&2; } 8>&- &
wait $! || demo_rc=$?
demo_ms=$(( (${EPOCHREALTIME/[.,]/} - ${t0/[.,]/}) / 1000 ))
load_after=$(uptime)
rm -f "$dir/ns.pid"
[[ -n $lock ]] && exec 8>&-
if (( demo_rc != 0 )); then
  echo "bench-fresh-machine: scripts/demo.sh failed (exit $demo_rc); log: $log" >&2
  exit 1
fi

# ---------------------------------------------------------------- the figures
# at ERE: the time stamp of the first log line matching ERE.
at() { awk -v re="$1" '{ line = $0; sub(/^ *[0-9.]+ /, "", line) } line ~ re { print $1; exit }' "$log"; }
# demo.sh hides build.sh's standard output, install-deps' messages with it; on Debian 12
# install-deps fetches libssh2 right after apt-get, and says so on standard error.
apt_end=$(at '^fetch-libssh2: fetching')
ssh2_end=$(at '^fetch-libssh2: libssh2 .* built into')
fleet_line=$(at '^sandbox-fleet: [0-9]+ host[(]s[)] up in')
fleet_s=$(grep -m1 -oE 'host\(s\) up in [0-9.]+s' "$log" | grep -oE '[0-9.]+')
up_start=$(at '^[$] .*/fleetk8s up ')
up_end=$(at '^--- the same command again')
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a - b }'; }
fleet_start=$(awk -v a="$fleet_line" -v b="$fleet_s" 'BEGIN { print a - b }')
clone_s=$(awk -v a="$clone_ms" 'BEGIN { print a / 1000 }')
echo
echo "fresh Debian 12 (debootstrap bookworm), commit $commit, $(nproc) cores; scripts/demo.sh took $(( demo_ms / 1000 )) s:"
compile_start=0
if [[ -n $apt_end && -n $ssh2_end ]]; then
  echo "  packages (apt-get update + install)   $(sub "$apt_end" 0) s"
  echo "  libssh2 1.11: fetch + build           $(sub "$ssh2_end" "$apt_end") s"
  compile_start=$ssh2_end
else
  echo "  (no libssh2 fetch: packages and compile are counted together below)"
fi
echo "  compile fleetk8s (cmake + build)      $(sub "$fleet_start" "$compile_start") s"
echo "  sandbox fleet (1+3) up                $(sub "$up_start" "$fleet_start") s"
echo "  first fleetk8s up                     $(sub "$up_end" "$up_start") s"
echo "  then: up again, check, fleet down     $(sub "$(( demo_ms / 1000 ))" "$up_end") s"
echo "git clone $(sub "$clone_s" 0) s; fresh clone to the first up finished: $(awk -v a="$up_end" -v b="$clone_s" \
  'BEGIN { t = int(a + b + 0.5); printf "%d s (%d min %02d s)", t, int(t / 60), t % 60 }')"
echo "load before: $load_before"
echo "load after:  $load_after"
