#!/usr/bin/env bash
# Integration test for scripts/sandbox-fleet, using the real OpenSSH client.
#
# Usage: tests/integration/sandbox-fleet-test.sh DIR_PARENT
# Brings up 3 hosts in a fresh directory under DIR_PARENT (on a random free
# port, so it does not collide with a fleet someone runs on 2222), checks them,
# tears them down and checks nothing is left. Stops at the first failure.
# Needs root. Prints "N passed, 0 failed" at the end.
set -euo pipefail

(( $# == 1 )) || { echo "usage: $0 DIR_PARENT" >&2; exit 2; }
FLEET=$(realpath "$(dirname "$0")/../../scripts/sandbox-fleet")
mkdir -p "$1"
DIR=$(mktemp -d "$(realpath "$1")/sandbox-fleet-test.XXXXXX")
SCRATCH=$(mktemp -d /tmp/sandbox-fleet-test-scratch.XXXXXX)   # never inside DIR: down must find DIR empty
PASSED=0

# ---------------------------------------------------------------- helpers

summary() { echo "$PASSED passed, $1 failed"; }
pass() { PASSED=$(( PASSED + 1 )); echo "ok   $1"; }
fail() {
  echo "FAIL $1"
  [[ -n ${2:-} ]] && printf '%s\n' "$2" | sed 's/^/     | /'
  summary 1
  exit 1
}

# check DESC CMD...: passes when CMD succeeds; OUT holds its stdout+stderr.
check() {
  local desc=$1; shift
  if OUT=$("$@" 2>&1); then pass "$desc"; else fail "$desc (exit $?)" "$OUT"; fi
}
# check_fails DESC CMD...: passes when CMD fails.
check_fails() {
  local desc=$1; shift
  if OUT=$("$@" 2>&1); then fail "$desc (unexpectedly succeeded)" "$OUT"; else pass "$desc"; fi
}
# check_output DESC EXPECTED CMD...: passes when CMD succeeds and prints exactly EXPECTED.
check_output() {
  local desc=$1 want=$2; shift 2
  if OUT=$("$@" 2>&1) && [[ $OUT == "$want" ]]; then pass "$desc"
  else fail "$desc: wanted '$want'" "$OUT"; fi
}
# check_contains DESC TEXT CMD...: passes when CMD's output (success or not) contains TEXT.
check_contains() {
  local desc=$1 want=$2; shift 2
  OUT=$("$@" 2>&1) || true
  if [[ $OUT == *"$want"* ]]; then pass "$desc"; else fail "$desc: wanted '$want' in output" "$OUT"; fi
}

cleanup() {
  "$FLEET" down "$DIR" >/dev/null 2>&1 || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

pick_free_port() {
  local port
  for _ in $(seq 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    [[ -z $(ss -Hltn "sport = :$port") ]] && { echo "$port"; return; }
  done
  echo "no free port found" >&2; exit 1
}

# The strict OpenSSH client every check uses; -F /dev/null ignores ~/.ssh/config.
ssh_opts() {
  SSH_OPTS=(-F /dev/null -o "UserKnownHostsFile=$DIR/known_hosts" -o StrictHostKeyChecking=yes
            -o ConnectTimeout=5 -o IdentitiesOnly=yes -p "$PORT")
}
# on USER ADDR CMD...: run CMD on a host with the fleet key.
on() {
  local user=$1 addr=$2; shift 2
  ssh "${SSH_OPTS[@]}" -o BatchMode=yes -i "$DIR/id_ed25519" "$user@$addr" "$@"
}
# with_askpass SECRET CMD...: run CMD (an ssh) with SECRET answered to any prompt,
# through SSH_ASKPASS: no sshpass needed, no terminal involved.
with_askpass() {
  local secret=$1; shift
  printf '#!/bin/sh\necho %s\n' "$secret" >"$SCRATCH/askpass"
  chmod 700 "$SCRATCH/askpass"
  SSH_ASKPASS=$SCRATCH/askpass SSH_ASKPASS_REQUIRE=force DISPLAY=none setsid -w "$@" </dev/null
}
# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
  local deadline=$(( SECONDS + $1 )); shift
  until "$@"; do (( SECONDS < deadline )) || return 1; sleep 0.1; done
}
no_mount_mentions_dir() { ! grep -qsF "$DIR" /proc/[0-9]*/mountinfo; }
no_process_mentions_dir() { ! grep -qsF "$DIR" /proc/[0-9]*/cmdline; }
none_alive() { local pid; for pid; do [[ ! -e /proc/$pid/ns/mnt ]] || return 1; done; }
connection_refused() { OUT=$(on root "$1" true 2>&1) || true; [[ $OUT == *"Connection refused"* ]]; }

# ---------------------------------------------------------------- the test

PORT=$(pick_free_port)
ssh_opts
started=$SECONDS
echo "# fleet in $DIR, port $PORT"

check "up 3 hosts" "$FLEET" up --port "$PORT" 3 "$DIR"
echo "$OUT" | sed 's/^/#   /'

# Generated files.
check "inventory: control_plane cp1, workers worker01 worker02" \
  grep -qzF $'[control_plane]\ncp1 ansible_host=127.0.77.1\n\n[workers]\nworker01 ansible_host=127.0.77.2\nworker02 ansible_host=127.0.77.3\n' "$DIR/inventory.ini"
check "inventory: [all:vars] port, user, key, known_hosts, ssh args" grep -qzF \
  $'[all:vars]\nansible_port='"$PORT"$'\nansible_user=root\nansible_ssh_private_key_file='"$DIR"$'/id_ed25519\nfleetk8s_known_hosts='"$DIR"$'/known_hosts\nansible_ssh_common_args=\'-o UserKnownHostsFile='"$DIR"$'/known_hosts -o StrictHostKeyChecking=yes\'\n' \
  "$DIR/inventory.ini"
check_output "known_hosts: one ed25519 line per host" \
  "[127.0.77.1]:$PORT ssh-ed25519|[127.0.77.2]:$PORT ssh-ed25519|[127.0.77.3]:$PORT ssh-ed25519" \
  bash -c "cut -d' ' -f1,2 '$DIR/known_hosts' | paste -sd'|'"
check_output "fleet.env" "FLEET_DIR=$DIR FLEET_SIZE=3 FLEET_PORT=$PORT FLEET_INVENTORY=$DIR/inventory.ini" \
  bash -c "grep -E '^FLEET_(DIR|SIZE|PORT|INVENTORY)=' '$DIR/fleet.env' | paste -sd' '"
check "client keys present, private ones mode 600" bash -c "
  for k in '$DIR/id_ed25519' '$DIR'/keys/id_ecdsa '$DIR'/keys/id_ed25519_pass '$DIR'/keys/id_rsa; do
    [[ -f \$k.pub && \$(stat -c %a \$k) == 600 ]] || { echo \"bad: \$k\"; exit 1; }
  done"

# Identity of each host.
check_output "cp1 answers as cp1" cp1 on root 127.0.77.1 hostname
check_output "worker01 answers as worker01" worker01 on root 127.0.77.2 hostname
check_output "worker02 answers as worker02" worker02 on root 127.0.77.3 hostname
check_output "os-release and redhat-release say Rocky 8.9" \
  $'rocky 8.9 Rocky Linux 8.9 (Green Obsidian)\nRocky Linux release 8.9 (Green Obsidian)' \
  on root 127.0.77.1 '. /etc/os-release && echo "$ID $VERSION_ID $PRETTY_NAME" && cat /etc/redhat-release'
check_output "root's home is a clean one (no pyenv)" "/root 0" \
  on root 127.0.77.1 'test ! -e ~/.pyenv && echo "$HOME $(grep -c pyenv ~/.bashrc)"'

# Private file systems: what cp1 writes, worker01 and the machine do not see.
probe=sandbox-fleet-probe-$$-$RANDOM
probe_paths="/etc/$probe /var/$probe /root/$probe /usr/local/$probe /home/$probe"
check "cp1 writes to /etc /var /root /usr/local /home" \
  on root 127.0.77.1 "for f in $probe_paths; do echo cp1 >\$f; done; cat $probe_paths"
check_output "worker01 sees none of cp1's files" "" \
  on root 127.0.77.2 "for f in $probe_paths; do test ! -e \$f || echo \"visible: \$f\"; done"
check "the machine sees none of cp1's files" bash -c "for f in $probe_paths; do test ! -e \$f || { echo \"visible: \$f\"; exit 1; }; done"
check_output "exec sees cp1's private view" cp1 "$FLEET" exec "$DIR" cp1 -- cat "/etc/$probe"
check_output "exec runs in the host's UTS namespace" worker02 "$FLEET" exec "$DIR" worker02 -- hostname

# Users and sudo.
check_output "deploy: passwordless sudo" "deploy 0" on deploy 127.0.77.2 'echo "$(id -un) $(sudo -n id -u)"'
check_fails "ops: sudo -n is refused (password required)" on ops 127.0.77.1 'sudo -n true'
check_output "ops: sudo with the password works" 0 on ops 127.0.77.1 'echo ops-sandbox-pw | sudo -S -p "" id -u'
check_output "ops: password login" ops \
  with_askpass ops-sandbox-pw ssh "${SSH_OPTS[@]}" -o PubkeyAuthentication=no \
    -o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 ops@127.0.77.1 id -un
check_fails "ops: wrong password refused" \
  with_askpass wrong-password ssh "${SSH_OPTS[@]}" -o PubkeyAuthentication=no \
    -o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 ops@127.0.77.1 true
check_output "deploy: ECDSA key from keys/" deploy \
  ssh "${SSH_OPTS[@]}" -o BatchMode=yes -i "$DIR/keys/id_ecdsa" deploy@127.0.77.2 id -un
check_output "ops: RSA key from keys/" ops \
  ssh "${SSH_OPTS[@]}" -o BatchMode=yes -i "$DIR/keys/id_rsa" ops@127.0.77.3 id -un
check_output "root: passphrase-protected ed25519 key from keys/" root \
  with_askpass fleet-passphrase ssh "${SSH_OPTS[@]}" -o PreferredAuthentications=publickey \
    -i "$DIR/keys/id_ed25519_pass" root@127.0.77.1 id -un

check_output "status: all up" \
  "cp1 127.0.77.1:$PORT up|worker01 127.0.77.2:$PORT up|worker02 127.0.77.3:$PORT up" \
  bash -c "'$FLEET' status '$DIR' | awk '{ print \$1, \$2, \$3 }' | paste -sd'|'"
check_contains "up on a running fleet refuses" "already up" "$FLEET" up --port "$PORT" 3 "$DIR"
check_contains "DIR under /etc is rejected" "lies under /etc" "$FLEET" up 1 /etc/sandbox-fleet-test

# stop-host kills the host's sshd and its sessions; start-host brings it back with its state.
check "worker01 keeps a file across restarts (write)" on root 127.0.77.2 "echo kept >/etc/$probe-kept"
on root 127.0.77.2 'echo session-started; exec sleep 60' >"$SCRATCH/session.out" 2>&1 &
session_pid=$!
check "a long session runs on worker01" wait_for 10 grep -q session-started "$SCRATCH/session.out"
check "stop-host worker01" "$FLEET" stop-host "$DIR" worker01
check "stop-host ended worker01's open session" wait_for 5 none_alive "$session_pid"
check "worker01's port refuses connections" connection_refused 127.0.77.2
check_output "status: worker01 down" "worker01 down" \
  bash -c "'$FLEET' status '$DIR' | awk '\$1 == \"worker01\" { print \$1, \$3 }'"
check "cp1 is unaffected" on root 127.0.77.1 true
check "start-host worker01" "$FLEET" start-host "$DIR" worker01
check_output "worker01 is back, same host key, same files" "worker01 kept" \
  on root 127.0.77.2 "echo \$(hostname) \$(cat /etc/$probe-kept)"

# rekey-host: strict host key checking must notice.
check "rekey-host worker02" "$FLEET" rekey-host "$DIR" worker02
check_contains "strict ssh detects worker02's changed key" "REMOTE HOST IDENTIFICATION HAS CHANGED" \
  on root 127.0.77.3 true

# down: nothing left, not a process, not a mount, not a file.
mapfile -t sshd_pids < <(cat "$DIR"/hosts/*/sshd.pid)
check "down" "$FLEET" down "$DIR"
check "no fleet sshd survives" none_alive "${sshd_pids[@]}"
check "no process refers to DIR" no_process_mentions_dir
check "no mount anywhere refers to DIR" no_mount_mentions_dir
check "DIR and its keys are gone" test ! -e "$DIR"

echo "# took $(( SECONDS - started )) s"
summary 0
