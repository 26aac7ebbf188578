#!/usr/bin/env bash
# Integration test for scripts/sandbox-fleet, using the real OpenSSH client.
#
# Usage: tests/integration/sandbox-fleet-test.sh DIR_PARENT
# Brings up 3 hosts in a fresh directory under DIR_PARENT (on a random free
# port, so it does not collide with a fleet someone runs on 2222), checks them,
# tears them down and checks nothing is left. Stops at the first failure.
# Needs root. Prints "N passed, 0 failed" at the end.
#
# Independent checks run concurrently in batches (each ssh costs ~0.1 CPU-s here,
# and waiting for them one by one made the test 2-3 times slower); their results
# are judged in the order they were queued, so the first failure is reported first.
set -euo pipefail

(( $# == 1 )) || { echo "usage: $0 DIR_PARENT" >&2; exit 2; }
FLEET=$(realpath "$(dirname "$0")/../../scripts/sandbox-fleet")
mkdir -p "$1"
DIR=$(mktemp -d "$(realpath "$1")/sandbox-fleet-test.XXXXXX")
SCRATCH=$(mktemp -d /tmp/sandbox-fleet-test-scratch.XXXXXX)   # never inside DIR: down must find DIR empty
PASSED=0

# ---------------------------------------------------------------- checking

summary() { echo "$PASSED passed, $1 failed"; }

# judge KIND DESC WANT RC: decides one check from its exit code RC and its output in OUT.
#   ok: RC is 0; fails: RC is not 0; output: RC is 0 and OUT is exactly WANT;
#   contains: OUT contains WANT, whatever RC.
judge() {
  local kind=$1 desc=$2 want=$3 rc=$4 good
  case $kind in
    ok) good=$(( rc == 0 )) ;;
    fails) good=$(( rc != 0 )) ;;
    output) good=0; [[ $rc == 0 && $OUT == "$want" ]] && good=1 ;;
    contains) good=0; [[ $OUT == *"$want"* ]] && good=1 ;;
  esac
  if (( good )); then
    PASSED=$(( PASSED + 1 ))
    echo "ok   $desc"
    return
  fi
  echo "FAIL $desc (exit $rc${want:+; wanted \"$want\"})"
  [[ -n $OUT ]] && printf '%s\n' "$OUT" | sed 's/^/     | /'
  summary 1
  exit 1
}

# queue KIND DESC [WANT] CMD...: start a check in the background; run_batch judges it.
# WANT only for the kinds output and contains.
BATCH_KIND=() BATCH_DESC=() BATCH_WANT=() BATCH_PID=()
queue() {
  local n=${#BATCH_KIND[@]} want=""
  BATCH_KIND+=("$1") BATCH_DESC+=("$2")
  shift 2
  if [[ ${BATCH_KIND[n]} == output || ${BATCH_KIND[n]} == contains ]]; then want=$1; shift; fi
  BATCH_WANT+=("$want")
  ( rc=0; "$@" >"$SCRATCH/check$n.out" 2>&1 || rc=$?; echo "$rc" >"$SCRATCH/check$n.rc" ) &
  BATCH_PID+=($!)
}
run_batch() {
  local n rc
  wait "${BATCH_PID[@]}"
  for n in "${!BATCH_KIND[@]}"; do
    OUT=$(<"$SCRATCH/check$n.out")
    rc=$(<"$SCRATCH/check$n.rc")
    judge "${BATCH_KIND[n]}" "${BATCH_DESC[n]}" "${BATCH_WANT[n]}" "$rc"
  done
  BATCH_KIND=() BATCH_DESC=() BATCH_WANT=() BATCH_PID=()
}
# Checks run right away; OUT holds the command's stdout+stderr afterwards.
check() { queue ok "$@"; run_batch; }
check_fails() { queue fails "$@"; run_batch; }
check_output() { queue output "$@"; run_batch; }
check_contains() { queue contains "$@"; run_batch; }

cleanup() {
  "$FLEET" down "$DIR" >/dev/null 2>&1 || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

# ---------------------------------------------------------------- helpers

pick_free_port() {
  local port
  for _ in $(seq 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    [[ -z $(ss -Hltn "sport = :$port") ]] && { echo "$port"; return; }
  done
  echo "no free port found" >&2
  exit 1
}

# The strict OpenSSH client every check uses; -F /dev/null ignores ~/.ssh/config.
ssh_opts() {
  SSH_OPTS=(-F /dev/null -o "UserKnownHostsFile=$DIR/known_hosts" -o StrictHostKeyChecking=yes
            -o ConnectTimeout=5 -o IdentitiesOnly=yes -p "$PORT")
}
# on USER ADDR CMD...: run CMD on a host with the fleet key.
on() {
  local user=$1 addr=$2
  shift 2
  ssh "${SSH_OPTS[@]}" -o BatchMode=yes -i "$DIR/id_ed25519" "$user@$addr" "$@"
}
# with_askpass SECRET CMD...: run CMD (an ssh) with SECRET answering its prompt
# through SSH_ASKPASS: no sshpass needed, no terminal involved.
with_askpass() {
  local secret=$1 askpass=$SCRATCH/askpass-$1
  shift
  printf '#!/bin/sh\necho %s\n' "$secret" >"$askpass"
  chmod 700 "$askpass"
  SSH_ASKPASS=$askpass SSH_ASKPASS_REQUIRE=force DISPLAY=none setsid -w "$@" </dev/null
}
password_login() { # USER PASSWORD ADDR CMD...
  with_askpass "$2" ssh "${SSH_OPTS[@]}" -o PubkeyAuthentication=no -o PreferredAuthentications=password \
    -o NumberOfPasswordPrompts=1 "$1@$3" "${@:4}"
}
# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
  local deadline=$(( SECONDS + $1 ))
  shift
  until "$@"; do (( SECONDS < deadline )) || return 1; sleep 0.1; done
}
one_line() { "$@" | paste -sd'|'; }
no_mount_mentions_dir() { ! grep -qsF "$DIR" /proc/[0-9]*/mountinfo; }
no_process_mentions_dir() { ! grep -qsF "$DIR" /proc/[0-9]*/cmdline; }
none_alive() { local pid; for pid; do [[ ! -e /proc/$pid/ns/mnt ]] || return 1; done; }
connection_refused() { local out; out=$(on root "$1" true 2>&1) || true; [[ $out == *"Connection refused"* ]] || { echo "$out"; return 1; }; }
private_keys_ok() {
  local k
  for k in "$DIR/id_ed25519" "$DIR"/keys/id_ecdsa "$DIR"/keys/id_ed25519_pass "$DIR"/keys/id_rsa; do
    [[ -f $k.pub && $(stat -c %a "$k") == 600 ]] || { echo "bad: $k"; return 1; }
  done
}
status_of() { "$FLEET" status "$DIR" | awk -v h="${1:-}" 'h == "" || $1 == h { print $1, $2, $3 }'; }

# ---------------------------------------------------------------- the test

PORT=$(pick_free_port)
ssh_opts
started=$SECONDS
echo "# fleet in $DIR, port $PORT"

check "up 3 hosts" "$FLEET" up --port "$PORT" 3 "$DIR"
printf '%s\n' "$OUT" | sed 's/^/#   /'

probe=sandbox-fleet-probe-$$-$RANDOM
probe_paths="/etc/$probe /var/$probe /root/$probe /usr/local/$probe /home/$probe"
all_vars=$'[all:vars]\nansible_port='$PORT$'\nansible_user=root\nansible_ssh_private_key_file='$DIR$'/id_ed25519\n'
all_vars+='fleetk8s_known_hosts='$DIR$'/known_hosts\n'
all_vars+="ansible_ssh_common_args='-o UserKnownHostsFile=$DIR/known_hosts -o StrictHostKeyChecking=yes'"$'\n'

# Batch 1: generated files, each host's identity, users, keys, sudo.
queue ok "inventory: control_plane cp1, workers worker01 worker02" grep -qzF \
  $'[control_plane]\ncp1 ansible_host=127.0.77.1\n\n[workers]\nworker01 ansible_host=127.0.77.2\nworker02 ansible_host=127.0.77.3\n' \
  "$DIR/inventory.ini"
queue ok "inventory: [all:vars] port, user, key, known_hosts, ssh args" grep -qzF "$all_vars" "$DIR/inventory.ini"
queue output "the shared layers are the fleet's own copy (one link each: another fleet's up or a cache cleared changes no ctime here)" \
  $'1\n1' stat -c %h "$DIR/base/usr/bin/systemctl" "$DIR/base/etc/yum.repos.d/Rocky-BaseOS.repo"
queue output "known_hosts: one ed25519 line per host" \
  "[127.0.77.1]:$PORT ssh-ed25519|[127.0.77.2]:$PORT ssh-ed25519|[127.0.77.3]:$PORT ssh-ed25519" \
  one_line cut -d' ' -f1,2 "$DIR/known_hosts"
queue output "fleet.env" "FLEET_DIR=$DIR|FLEET_SIZE=3|FLEET_PORT=$PORT|FLEET_INVENTORY=$DIR/inventory.ini" \
  one_line grep -E '^FLEET_(DIR|SIZE|PORT|INVENTORY)=' "$DIR/fleet.env"
queue ok "client keys present, private ones mode 600" private_keys_ok
queue output "cp1 answers as cp1" cp1 on root 127.0.77.1 hostname
queue output "worker01 answers as worker01" worker01 on root 127.0.77.2 hostname
queue output "worker02 answers as worker02" worker02 on root 127.0.77.3 hostname
# shellcheck disable=SC2016 # expanded on the host
queue output "os-release and redhat-release say Rocky 8.9" \
  $'rocky 8.9 Rocky Linux 8.9 (Green Obsidian)\nRocky Linux release 8.9 (Green Obsidian)' \
  on root 127.0.77.1 '. /etc/os-release && echo "$ID $VERSION_ID $PRETTY_NAME" && cat /etc/redhat-release'
# shellcheck disable=SC2016
queue output "root's home is a clean one (no pyenv)" "/root 0" \
  on root 127.0.77.1 'test ! -e ~/.pyenv && echo "$HOME $(grep -c pyenv ~/.bashrc)"'
queue ok "cp1 writes to /etc /var /root /usr/local /home" \
  on root 127.0.77.1 "for f in $probe_paths; do echo cp1 >\$f; done; cat $probe_paths"
queue ok "worker01 writes a file to keep across restarts" on root 127.0.77.2 "echo kept >/etc/$probe-kept"
# shellcheck disable=SC2016
queue output "deploy: passwordless sudo" "deploy 0" on deploy 127.0.77.2 'echo "$(id -un) $(sudo -n id -u)"'
queue fails "ops: sudo -n is refused (password required)" on ops 127.0.77.1 'sudo -n true'
queue output "ops: sudo with the password works" 0 on ops 127.0.77.1 'echo ops-sandbox-pw | sudo -S -p "" id -u'
queue output "ops: password login" ops password_login ops ops-sandbox-pw 127.0.77.1 id -un
queue fails "ops: wrong password refused" password_login ops wrong-password 127.0.77.1 true
queue output "deploy: ECDSA key from keys/" deploy \
  ssh "${SSH_OPTS[@]}" -o BatchMode=yes -i "$DIR/keys/id_ecdsa" deploy@127.0.77.2 id -un
queue output "ops: RSA key from keys/" ops \
  ssh "${SSH_OPTS[@]}" -o BatchMode=yes -i "$DIR/keys/id_rsa" ops@127.0.77.3 id -un
queue output "root: passphrase-protected ed25519 key from keys/" root \
  with_askpass fleet-passphrase ssh "${SSH_OPTS[@]}" -o PreferredAuthentications=publickey \
    -i "$DIR/keys/id_ed25519_pass" root@127.0.77.1 id -un
queue output "status: all up" "cp1 127.0.77.1:$PORT up|worker01 127.0.77.2:$PORT up|worker02 127.0.77.3:$PORT up" \
  one_line status_of
queue output "exec runs in the host's UTS namespace" worker02 "$FLEET" exec "$DIR" worker02 -- hostname
queue contains "up on a running fleet refuses" "already up" "$FLEET" up --port "$PORT" 3 "$DIR"
queue contains "DIR under /etc is rejected" "lies under /etc" "$FLEET" up 1 /etc/sandbox-fleet-test
run_batch

# Batch 2: what cp1 wrote, worker01 and the machine do not see.
queue output "worker01 sees none of cp1's files" "" \
  on root 127.0.77.2 "for f in $probe_paths; do test ! -e \$f || echo \"visible: \$f\"; done"
queue output "the machine sees none of cp1's files" "" \
  bash -c "for f in $probe_paths; do test ! -e \$f || echo \"visible: \$f\"; done"
queue output "exec sees cp1's private view" cp1 "$FLEET" exec "$DIR" cp1 -- cat "/etc/$probe"
run_batch

# stop-host kills the host's sshd and its sessions; start-host brings it back with its state.
on root 127.0.77.2 'echo session-started; exec sleep 60' >"$SCRATCH/session.out" 2>&1 &
session_pid=$!
check "a long session runs on worker01" wait_for 10 grep -q session-started "$SCRATCH/session.out"
check "stop-host worker01" "$FLEET" stop-host "$DIR" worker01
check "stop-host ended worker01's open session" wait_for 5 none_alive "$session_pid"
queue ok "worker01's port refuses connections" connection_refused 127.0.77.2
queue output "status: worker01 down" "worker01 127.0.77.2:$PORT down" status_of worker01
queue output "cp1 is unaffected" cp1 on root 127.0.77.1 hostname
run_batch
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
# One at a time: a grep for DIR running concurrently would find the other one's command line.
check "no fleet sshd survives" none_alive "${sshd_pids[@]}"
check "no process refers to DIR" no_process_mentions_dir
check "no mount anywhere refers to DIR" no_mount_mentions_dir
check "DIR and its keys are gone" test ! -e "$DIR"

echo "# took $(( SECONDS - started )) s"
summary 0
