#!/usr/bin/env bash
# `fleetk8s schedule install|remove|status` as an admin runs them, without a
# running systemd: the units it writes pass `systemd-analyze verify` (Debian's
# systemd package) for up, --check-only, --user and calendar schedules, with
# spaces and % in paths; the command a unit runs is run once by hand (against
# hosts that refuse connections on loopback: a real run folder, read back by
# status); secrets and prompts are refused; foreign units are never
# overwritten or removed; with a stand-in systemctl, install enables the timer
# and remove disables it.
# Usage: schedule-test.sh FLEETK8S_BIN
set -uo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is missing (Debian package systemd)"; exit 1; }

# The binary under a path with a space, as systemd must find it.
mkdir -p "$work/opt dir"
cp "$1" "$work/opt dir/fleetk8s"
bin="$work/opt dir/fleetk8s"
units=$work/units
export XDG_RUNTIME_DIR=$work/run XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset FLEETK8S_SYSTEMCTL

# Nothing listens on 127.0.84.x:2484 (this test's net): runs end unreachable, fast.
mkdir -p "$work/my inventories"
inv="$work/my inventories/100% prod.ini"
cat >"$inv" <<'INI'
[control_plane]
cp1 ansible_host=127.0.84.1 ansible_port=2484
[workers]
worker01 ansible_host=127.0.84.2 ansible_port=2484
[all:vars]
ansible_user=root
INI
echo 'kubernetes_version: "1.33"' >"$work/vars.yml"
printf 'Host *\n  ConnectTimeout 5\n' >"$work/ssh_config"

# verify UNIT...: systemd-analyze's findings about our units (empty: none).
verify() {
  systemd-analyze "$@" --man=no >"$work/verify" 2>&1
  echo "rc=$?" >>"$work/verify"
  grep -E 'fleetk8s-|rc=[^0]' "$work/verify"
}
setting() { grep -E "^$1=" "$2" | head -1 | cut -d= -f2-; }

fk schedule install "$inv" --every 30m --unit-dir "$units" --no-enable -e @vars.yml --limit 'all:!worker01' --forks 20 -F ssh_config
check "install --no-enable: exit 0, both units written" "[ \$(rc) = 0 ] && [ -f '$units/fleetk8s-100-prod.service' ] && [ -f '$units/fleetk8s-100-prod.timer' ]"
check "the name comes from the inventory file, made valid" "has '^wrote $units/fleetk8s-100-prod.timer$'"
check "it says what to run to start it" "has 'not telling systemd \(--no-enable\)' && has 'systemctl enable --now $units/fleetk8s-100-prod.timer'"
check "systemd-analyze verify accepts the units, no warning" "[ -z \"\$(verify verify '$units/fleetk8s-100-prod.service' '$units/fleetk8s-100-prod.timer')\" ]"
svc=$units/fleetk8s-100-prod.service timer=$units/fleetk8s-100-prod.timer
check "oneshot up on the absolute inventory, quoted, % escaped, waiting for the lock" "[ \"\$(setting ExecStart '$svc')\" = '\"$bin\" up \"$work/my inventories/100%% prod.ini\" -e @$work/vars.yml --limit \"all:!worker01\" --forks 20 --ssh-config $work/ssh_config --wait-lock 10m' ] && [ \"\$(setting Type '$svc')\" = oneshot ]"
check "it runs where install ran, with the state under /var/lib" "[ \"\$(setting WorkingDirectory '$svc')\" = '$work' ] && grep -qx 'Environment=\"XDG_STATE_HOME=/var/lib\"' '$svc' && [ \"\$(setting StateDirectory '$svc')\" = fleetk8s ]"
check "drift and failures mark the unit failed (no SuccessExitStatus)" "! grep -q SuccessExitStatus '$svc'"
check "timer: 5min after boot, then every 30min, a little random delay" "[ \"\$(setting OnBootSec '$timer')\" = 5min ] && [ \"\$(setting OnUnitActiveSec '$timer')\" = 30min ] && [ \"\$(setting RandomizedDelaySec '$timer')\" = 3min ]"
check "install says where the last run's summary will be" "has '^last run summary: /var/lib/fleetk8s/runs/last/summary.json$'"

fk schedule install "$inv" --every 30m --unit-dir "$units" --no-enable
check "installing again updates fleetk8s' own units" "[ \$(rc) = 0 ] && has '^updated $svc$'"

fk schedule install "$inv" --every '*:0/15' --check-only --name prod-check --unit-dir "$units" --no-enable
check "--check-only with a calendar: check (no lock), OnCalendar, Persistent" "[ \$(rc) = 0 ] && [ \"\$(setting ExecStart '$units/fleetk8s-prod-check.service')\" = '\"$bin\" check \"$work/my inventories/100%% prod.ini\"' ] && [ \"\$(setting OnCalendar '$units/fleetk8s-prod-check.timer')\" = '*:0/15' ] && [ \"\$(setting Persistent '$units/fleetk8s-prod-check.timer')\" = true ]"
check "systemd-analyze verify accepts the check-only units" "[ -z \"\$(verify verify '$units/fleetk8s-prod-check.service' '$units/fleetk8s-prod-check.timer')\" ]"

fk schedule install "$inv" --backup-every 1d --backup-out snaps --keep-backups 7 --unit-dir "$units" --no-enable
bsvc=$units/fleetk8s-100-prod-backup.service
check "--backup-every: a schedule of its own (NAME-backup) running backup with its folder absolute, no lock wait" "[ \$(rc) = 0 ] && [ \"\$(setting ExecStart '$bsvc')\" = '\"$bin\" backup \"$work/my inventories/100%% prod.ini\" --out $work/snaps --keep 7' ] && [ \"\$(setting OnUnitActiveSec '$units/fleetk8s-100-prod-backup.timer')\" = 1d ] && [ -f '$svc' ]"
check "systemd-analyze verify accepts the backup units" "[ -z \"\$(verify verify '$bsvc' '$units/fleetk8s-100-prod-backup.timer')\" ]"
fk schedule install "$inv" --every 30m --backup-every 1d --unit-dir "$units" --no-enable
check "--every and --backup-every together: one schedule per install (exit 1)" "[ \$(rc) = 1 ] && has 'one schedule per install'"
fk schedule install "$inv" --unit-dir "$units" --no-enable
check "neither: exit 1, says which" "[ \$(rc) = 1 ] && has 'expected --every \\(up or check\\) or --backup-every'"
fk schedule install "$inv" --backup-every 1d --skip-preflight --unit-dir "$units" --no-enable
check "up's options on a backup schedule are refused" "[ \$(rc) = 1 ] && has -- '--skip-preflight is for .up., not for backup runs'"

fk schedule install "$inv" --every 2h30m --user --name mine --no-enable --become --become-password-file "$work/sudo-pass"
check "a password file that does not exist is an error" "[ \$(rc) = 1 ] && has 'sudo-pass: cannot read it' && [ ! -e '$XDG_CONFIG_HOME/systemd/user/fleetk8s-mine.timer' ]"
echo 'not-a-real-password' >"$work/sudo-pass"; chmod 644 "$work/sudo-pass"
fk schedule install "$inv" --every 2h30m --user --name mine --no-enable --become --become-password-file sudo-pass
user_svc=$XDG_CONFIG_HOME/systemd/user/fleetk8s-mine.service
check "--user: units in ~/.config/systemd/user, state in the user's" "[ \$(rc) = 0 ] && [ -f '$user_svc' ] && grep -qx 'Environment=\"XDG_STATE_HOME=$XDG_STATE_HOME\"' '$user_svc' && ! grep -q '^User=' '$user_svc'"
check "a password file readable by others is warned about; its path is written, never its content" "has 'sudo-pass can be read by others: chmod 600' && grep -q -- '--become-password-file $work/sudo-pass' '$user_svc' && ! grep -rq not-a-real-password '$XDG_CONFIG_HOME' '$units'"
check "--user units pass systemd-analyze --user verify" "[ -z \"\$(verify --user verify '$user_svc' '$XDG_CONFIG_HOME/systemd/user/fleetk8s-mine.timer')\" ]"
check "2h30m is 2h 30min" "[ \"\$(setting OnUnitActiveSec '$XDG_CONFIG_HOME/systemd/user/fleetk8s-mine.timer')\" = '2h 30min' ]"

# Refused input: nothing is written.
before=$(ls -R "$units" "$XDG_CONFIG_HOME" | md5sum)
fk schedule install "$inv" --every 1h --unit-dir "$units" --no-enable --name bad -e ansible_become_password=hunter2
check "a secret in -e is refused and not printed" "[ \$(rc) = 1 ] && has 'ansible_become_password=\.\.\.: a scheduled run.s command line is written into a unit file' && ! has hunter2"
fk schedule install "$inv" --every 1h --unit-dir "$units" --no-enable --name bad -K
check "--ask-become-pass is refused: nobody to ask" "[ \$(rc) = 1 ] && has 'ask-become-pass: a scheduled run has nobody to ask.*--become-password-file'"
fk schedule install "$inv" --every 30 --unit-dir "$units" --no-enable --name bad
check "--every without a unit says to give one" "[ \$(rc) = 1 ] && has 'every 30: give a unit'"
fk schedule install "$inv" --every 'Mon..Fry 02:00' --unit-dir "$units" --no-enable --name bad
check "a calendar expression systemd refuses is refused" "[ \$(rc) = 1 ] && has 'not a calendar expression systemd accepts'"
fk schedule install "$inv" --every 1h --unit-dir "$units" --no-enable --name 'my app'
check "an invalid name says what a name may be" "[ \$(rc) = 1 ] && has 'name my app: a schedule name may only contain letters, digits and _.:- .*\(try my-app\)'"
printf '[workers]\nw1\n' >"$work/nocp.ini"
fk schedule install nocp.ini --every 1h --unit-dir "$units" --no-enable
check "an inventory without a control plane is refused before anything is written" "[ \$(rc) = 1 ] && has 'nocp.ini'"
check "refused input wrote nothing" "[ '$before' = \"\$(ls -R '$units' '$XDG_CONFIG_HOME' | md5sum)\" ]"

# Units fleetk8s did not write.
printf '[Unit]\nDescription=someone else\n[Service]\nExecStart=/bin/true\n' >"$units/fleetk8s-foreign.service"
fk schedule install "$inv" --every 1h --unit-dir "$units" --no-enable --name foreign
check "a foreign unit is not overwritten" "[ \$(rc) = 1 ] && has 'fleetk8s-foreign.service was not written by fleetk8s schedule' && grep -q 'someone else' '$units/fleetk8s-foreign.service' && [ ! -e '$units/fleetk8s-foreign.timer' ]"
fk schedule remove --name foreign --unit-dir "$units"
check "a foreign unit is not removed" "[ \$(rc) = 1 ] && has 'not removing' && [ -f '$units/fleetk8s-foreign.service' ]"

# The command a unit runs, run once by hand as systemd would (state in $XDG_STATE_HOME).
runs=$(sed -n 's/^# Runs: //p' "$user_svc")
(cd "$work" && eval "$runs" --connect-timeout 2) >"$work/out" 2>&1; echo $? >"$work/rc"
check "the scheduled up runs: flags accepted, the control plane unreachable (exit 3), recap" "[ \$(rc) = 3 ] && has 'PLAY RECAP'"
check_runs=$(sed -n 's/^# Runs: //p' "$units/fleetk8s-prod-check.service")
(cd "$work" && eval "$check_runs" --connect-timeout 2) >"$work/out" 2>&1; echo $? >"$work/rc"
check "the scheduled check runs too (exit 3), recap" "[ \$(rc) = 3 ] && has 'PLAY RECAP'"

fk schedule status --user
check "status: the schedule, its command, no timer times without systemd" "[ \$(rc) = 0 ] && has '^fleetk8s-mine.timer ' && has 'every: +2h 30min' && has 'runs: .*up .*100% prod.ini' && has 'timer: +unknown: .*not running'"
if [ -f "$XDG_STATE_HOME/fleetk8s/runs/last/summary.json" ] || [ -f "$XDG_STATE_HOME/fleetk8s/runs/last-summary.json" ]; then
  check "status: the last run's result from its summary.json" "has 'last run: +check exited 3 \(failed\) at 20[0-9-]+T' && has 'hosts: 2: 0 ok, 0 changed, 0 failed, 2 unreachable, 0 not run' && has 'cp1 unreachable in \"Gathering Facts\": connection refused by 127.0.84.1:2484'"
else
  check "status: no run folder yet is said plainly" "has 'last run: +none recorded yet \($XDG_STATE_HOME/fleetk8s/runs/last/summary.json\)'"
fi
fk schedule status --unit-dir "$units"
check "status lists every schedule in a directory, only fleetk8s' own" "[ \$(rc) = 0 ] && has '^fleetk8s-100-prod.timer' && has '^fleetk8s-prod-check.timer' && has '^fleetk8s-100-prod-backup.timer' && ! has foreign"
fk schedule remove --unit-dir "$units"
check "remove without --name when several exist names them" "[ \$(rc) = 1 ] && has 'several schedules in $units, say which with --name: 100-prod 100-prod-backup prod-check'"
fk schedule remove --unit-dir "$units" --name prod-check
check "remove deletes both units" "[ \$(rc) = 0 ] && [ ! -e '$units/fleetk8s-prod-check.service' ] && [ ! -e '$units/fleetk8s-prod-check.timer' ] && [ -f '$units/fleetk8s-100-prod.timer' ]"
fk schedule status --unit-dir "$units" --name prod-check
check "status of a removed schedule: exit 1" "[ \$(rc) = 1 ] && has 'no schedule prod-check'"

# Without systemd running, install without --no-enable writes the units and says what to run.
if [ ! -d /run/systemd/system ]; then
  fk schedule install "$inv" --every 1h --user --name later
  check "no systemd here: exit 3, units written, the commands to run by hand" "[ \$(rc) = 3 ] && [ -f '$XDG_CONFIG_HOME/systemd/user/fleetk8s-later.timer' ] && has 'systemd is not running on this machine' && has '^  systemctl --user daemon-reload$' && has '^  systemctl --user enable --now fleetk8s-later.timer$'"
fi

# With a stand-in systemctl that records its arguments.
cat >"$work/systemctl" <<'SH'
#!/bin/sh
echo "$*" >>"$(dirname "$0")/systemctl.log"
case "$*" in *show*) echo "NextElapseUSecRealtime=Thu 2026-11-26 05:00:00 UTC" ;; esac
SH
chmod +x "$work/systemctl"
export FLEETK8S_SYSTEMCTL=$work/systemctl
fk schedule install "$inv" --every 1h --user --name enabled
check "install enables and starts the timer" "[ \$(rc) = 0 ] && [ \"\$(cat '$work/systemctl.log' | tr '\n' '|')\" = '--user daemon-reload|--user enable --now fleetk8s-enabled.timer|' ]"
fk schedule status --user --name enabled
check "status shows the timer's next run from systemctl" "has 'timer: +n/a \\(n/a\\), next run Thu 2026-11-26 05:00:00 UTC, last n/a'"
: >"$work/systemctl.log"
fk schedule remove --user --name enabled
check "remove disables the timer, deletes the units, reloads" "[ \$(rc) = 0 ] && [ \"\$(cat '$work/systemctl.log' | tr '\n' '|')\" = '--user disable --now fleetk8s-enabled.timer|--user daemon-reload|' ] && [ ! -e '$XDG_CONFIG_HOME/systemd/user/fleetk8s-enabled.timer' ]"
unset FLEETK8S_SYSTEMCTL

# --watch: one long-running `fleetk8s watch` service (no timer), restarted on failure.
wunits=$work/wunits
fk schedule install "$inv" --watch --every 20s --fix --max-fix 2 --metrics 127.0.0.1:9464 --full-check-every 15m --unit-dir "$wunits" --no-enable --forks 20
wsvc=$wunits/fleetk8s-100-prod-watch.service
check "--watch: exit 0, a service (NAME-watch) and no timer" "[ \$(rc) = 0 ] && [ -f '$wsvc' ] && [ -z \"\$(ls '$wunits' | grep timer)\" ] && has '^wrote $wsvc$' && has 'systemctl enable $wsvc' && has 'systemctl restart fleetk8s-100-prod-watch.service'"
check "--watch: Type=simple, restarted on failure, SIGHUP to reload, time to stop; the watch with its flags" \
  "[ \"\$(setting Type '$wsvc')\" = simple ] && [ \"\$(setting Restart '$wsvc')\" = on-failure ] && [ \"\$(setting ExecReload '$wsvc')\" = '/bin/kill -HUP \$MAINPID' ] && [ \"\$(setting TimeoutStopSec '$wsvc')\" = 10min ] && [ \"\$(setting ExecStart '$wsvc')\" = '\"$bin\" watch \"$work/my inventories/100%% prod.ini\" --forks 20 --every 20s --fix --max-fix 2 --metrics 127.0.0.1:9464 --full-check-every 15m' ] && [ \"\$(setting WantedBy '$wsvc')\" = multi-user.target ]"
check "systemd-analyze verify accepts the watch service" "[ -z \"\$(verify verify '$wsvc')\" ]"
fk schedule install "$inv" --watch --check-only --unit-dir "$wunits" --no-enable
check "--watch with --check-only: exit 1" "[ \$(rc) = 1 ] && has 'a watch checks on its own'"
fk schedule install "$inv" --every 1h --fix --unit-dir "$wunits" --no-enable
check "--fix without --watch: exit 1" "[ \$(rc) = 1 ] && has -- '--fix is for --watch'"
fk schedule install "$inv" --every 1h --full-check-every 10m --unit-dir "$wunits" --no-enable
check "--full-check-every without --watch: exit 1" "[ \$(rc) = 1 ] && has -- '--full-check-every is for --watch'"
fk schedule install "$inv" --watch --every 1m --full-check-every 30s --unit-dir "$wunits" --no-enable
check "--full-check-every shorter than the watch's --every: exit 1, the service written before unchanged" "[ \$(rc) = 1 ] && has -- '--full-check-every 30s: expected a duration no shorter than --every 1m' && grep -q -- '--full-check-every 15m' '$wsvc'"
fk schedule install "$inv" --watch --every 0s --unit-dir "$wunits" --no-enable
check "--watch --every 0s: exit 1, nothing more written" "[ \$(rc) = 1 ] && has 'expected the watch.s cycle' && [ \$(ls '$wunits' | wc -l) = 1 ]"
fk schedule install "$inv" --watch --metrics localhost:9464 --unit-dir "$wunits" --no-enable
check "--watch --metrics with a name, not an address: exit 1, nothing written" "[ \$(rc) = 1 ] && has -- '--metrics localhost:9464: expected ADDRESS:PORT with a numeric address' && [ \$(ls '$wunits' | wc -l) = 1 ]"
# --metrics-config: checked at install (a password is not a bcrypt hash), its path made absolute.
printf 'basic_auth_users:\n  prometheus: scrape-secret\n' >"$work/bad-web.yml"
fk schedule install "$inv" --watch --metrics 127.0.0.1:9464 --metrics-config "$work/bad-web.yml" --unit-dir "$wunits" --no-enable
check "--watch --metrics-config with a password, not its hash: exit 1 naming file:line, nothing written" \
  "[ \$(rc) = 1 ] && has 'bad-web.yml:2:15: basic_auth_users.prometheus: expected a bcrypt hash' && grep -q -- '--full-check-every 15m' '$wsvc'"
printf 'basic_auth_users:\n  prometheus: %s\n' '$2y$04$abcdefghijklmnopqrstuuKLvVYiVwiPwoRaKwUkZKXFafd3RmqEi' >"$work/web.yml"
(cd "$work" && "$bin" schedule install "$inv" --watch --metrics 127.0.0.1:9464 --metrics-config web.yml --unit-dir "$wunits" --no-enable >"$work/out" 2>&1)
check "--watch --metrics-config: the watch gets the file's absolute path" \
  "[ \"\$(setting ExecStart '$wsvc')\" = '\"$bin\" watch \"$work/my inventories/100%% prod.ini\" --every 30s --metrics 127.0.0.1:9464 --metrics-config $work/web.yml' ]"
fk schedule install "$inv" --every 1h --metrics-config "$work/web.yml" --unit-dir "$wunits" --no-enable
check "--metrics-config without --watch: exit 1" "[ \$(rc) = 1 ] && has -- '--metrics-config is for --watch'"
fk schedule install "$inv" --watch --every 20s --fix --max-fix 2 --metrics 127.0.0.1:9464 --full-check-every 15m --unit-dir "$wunits" --no-enable --forks 20
fk schedule status --unit-dir "$wunits"
check "status: the watch service and its cycle" "[ \$(rc) = 0 ] && has '^fleetk8s-100-prod-watch.service ' && has 'every: +20s \(a watch: one long-running service\)' && has 'runs: .* watch '"
# What the service runs, run by hand: the hosts refuse; said once each; SIGTERM stops it (exit 0).
cmdline=$(setting ExecStart "$wsvc" | sed 's/%%/%/g; s/--metrics 127.0.0.1:9464/--metrics 127.0.84.9:9464/')
(cd "$work" && eval "exec $cmdline" >"$work/watch.out" 2>&1) &
wpid=$!
for i in $(seq 50); do grep -q ' lost: worker01: ' "$work/watch.out" 2>/dev/null && break; sleep 0.2; done
kill -TERM $wpid; wait $wpid; wrc=$?
cp "$work/watch.out" "$work/out"
check "the watch service's command runs: each refusing host said lost once; SIGTERM: exit 0" "[ $wrc = 0 ] && [ \$(count ' lost: (cp1|worker01): .*refused') = 2 ] && has 'watch: stopped after'"
export FLEETK8S_SYSTEMCTL=$work/systemctl
: >"$work/systemctl.log"
fk schedule install "$inv" --watch --user --name w
check "--watch with systemd: reload, enable and (re)start the service" "[ \$(rc) = 0 ] && [ \"\$(cat '$work/systemctl.log' | tr '\n' '|')\" = '--user daemon-reload|--user enable fleetk8s-w.service|--user restart fleetk8s-w.service|' ] && [ \"\$(setting WantedBy '$XDG_CONFIG_HOME/systemd/user/fleetk8s-w.service')\" = default.target ]"
: >"$work/systemctl.log"
fk schedule remove --user --name w
check "remove stops and disables the watch service, deletes it, reloads" "[ \$(rc) = 0 ] && [ \"\$(cat '$work/systemctl.log' | tr '\n' '|')\" = '--user disable --now fleetk8s-w.service|--user daemon-reload|' ] && [ ! -e '$XDG_CONFIG_HOME/systemd/user/fleetk8s-w.service' ]"
unset FLEETK8S_SYSTEMCTL

finish
