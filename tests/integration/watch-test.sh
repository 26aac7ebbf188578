#!/usr/bin/env bash
# `fleetk8s watch` end to end on its own 1+3 fleet (net 73): bad flags change
# nothing; the cluster's check every second over kept sessions (the same four
# TCP connections from cycle to cycle); Prometheus metrics; drift said once,
# fixed under the run lock (one host at a time) and seen resolved; a fix
# postponed while another run holds the lock; a host lost (said once), then
# back; the inventory read again when it changes (a broken edit is said and
# the hosts read before stay watched); SIGTERM stops it cleanly.
# Usage: watch-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit
watch_pid="" holder_pid=""
trap '[ -n "$watch_pid" ] && kill -9 "$watch_pid" 2>/dev/null; [ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null
      "$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT

"$fleet" up --net 73 --port 2473 4 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$work/inventory.ini
cp "$dir/inventory.ini" "$inv"
metrics=127.0.73.9:9464
log=$work/watch.log

said() { grep -cE -- "$1" "$log"; }
scrape() { curl -s --max-time 5 "http://$metrics/metrics" >"$work/out"; }
# The watch's established SSH connections: "local-port peer" lines, sorted.
connections() { ss -Htn state established "( dport = :2473 )" | awk '{ print $3, $4 }' | sort; }

# Bad input: nothing contacted, no run folder.
fk watch "$inv" --every 0s --run-dir "$work/runs"
check "--every 0s: exit 1 naming the flag, nothing run" "[ \$(rc) = 1 ] && has -- \"--every 0s: expected the watch's cycle, a duration of 1s or more\" && [ ! -e '$work/runs' ]"
fk watch "$inv" --metrics 127.0.0.1:http --run-dir "$work/runs"
check "--metrics without a numeric port: exit 1, nothing run" "[ \$(rc) = 1 ] && has -- '--metrics 127.0.0.1:http: expected ADDRESS:PORT' && [ ! -e '$work/runs' ]"
fk watch "$inv" -e kubernetes_version=banana --run-dir "$work/runs"
check "a bad setting: exit 1, nothing run" "[ \$(rc) = 1 ] && has 'kubernetes_version' && [ ! -e '$work/runs' ]"

fk up "$inv"
check "up converges the fleet" "[ \$(rc) = 0 ]"

(cd "$work" && exec "$bin" watch "$inv" --every 1s --fix --max-fix 1 --metrics "$metrics" --run-dir "$work/runs" >"$log" 2>&1) &
watch_pid=$!
wait_for "grep -q '^[0-9TZ:-]* cycle 1: ' '$log'" 60
cp "$log" "$work/out"
check "the first cycle: 4 of 4 hosts checked, converged, with a run folder" \
  "has '^[0-9T:-]+Z watch: 4 hosts, the cluster.s check every 1s \(the control planes. health every cycle; a host in full when its fingerprint changes, else every 10m\); drift fixed, at most 1 host\(s\) at once; metrics at http://$metrics/metrics$' && has ' cycle 1: 4 of 4 hosts checked in [0-9.]+ s \(controller CPU [0-9.]+ s\): converged; run folder $work/runs/'"

first=$(ls -d "$work"/runs/*-watch-1-* | head -1)
check "a cycle gathers each host's facts once (Ansible's gathering=smart), its run folder stamped as it ran" \
  "[ \$(grep '\"event\":\"result\"' '$first/events.jsonl' | grep '\"host\":\"worker01\"' | grep -c '\"task\":\"Gathering Facts\"') = 1 ] && [ \$(grep -o '\"time\":\"[^\"]*\"' '$first/events.jsonl' | sort -u | wc -l) -gt 5 ]"

before=$(connections)
wait_for "scrape; grep -qE '^fleetk8s_cycles_total ([4-9]|[1-9][0-9]+)$' '$work/out'" 30
after=$(connections)
echo "$after" >"$work/out"
check "sessions are kept: the same 4 connections (one per host) before and after 3 more cycles" \
  "[ \$(echo \"\$before\" | grep -c .) = 4 ] && [ \"\$before\" = \"\$after\" ]"
check "quiet cycles leave no run folder and print nothing (only the first has one)" \
  "[ \$(ls -d '$work'/runs/*-watch-* | wc -l) = 1 ] && [ \$(said ' cycle [0-9]+: ') = 1 ]"

scrape
check "metrics: every host up, no drift, a check time, no fix, the last cycle's duration" \
  "[ \$(count '^fleetk8s_host_up\{host=\"(cp1|worker0[123])\"\} 1$') = 4 ] && [ \$(count '^fleetk8s_host_drifted_tasks\{host=\"[a-z0-9]+\"\} 0$') = 4 ] && has '^fleetk8s_host_last_check_timestamp_seconds\{host=\"worker01\"\} 1[0-9]{9}' && [ \$(count '^fleetk8s_fixes_total\{host=\"[a-z0-9]+\"\} 0$') = 4 ] && has '^fleetk8s_cycle_duration_seconds 0?[.0-9]+' && has '^# TYPE fleetk8s_fixes_total counter$'"
curl -s --max-time 5 -o /dev/null -w '%{http_code} %{content_type}\n' "http://$metrics/metrics" >"$work/out"
curl -s --max-time 5 -o /dev/null -w '%{http_code}\n' "http://$metrics/" >>"$work/out"
curl -s --max-time 5 -o /dev/null -w '%{http_code}\n' -X POST "http://$metrics/metrics" >>"$work/out"
check "HTTP: 200 in Prometheus' text format; 404 elsewhere; 405 for POST" \
  "[ \"\$(tr '\n' '|' <'$work/out')\" = '200 text/plain; version=0.0.4; charset=utf-8|404|405|' ]"

# Drift on one worker: said once, fixed, then seen resolved.
on worker01 swapon /dev/mapper/rl-swap
wait_for "grep -q 'resolved: drift: worker01: Swap off now' '$log'" 60
cp "$log" "$work/out"
check "drift said at once (host and task), fixed (the task named), then resolved" \
  "[ \$(said 'Z drift: worker01: Swap off now$') = 1 ] && [ \$(said ' fixed: worker01: 1 task\(s\) changed: Swap off now$') = 1 ] && has 'cycle [0-9]+: 4 of 4 hosts checked .*: 1 task\(s\) would change on 1 host\(s\); run folder'"
check "the fix happened: no swap on worker01" "[ -z \"\$(on worker01 swapon --show --noheadings)\" ]"
scrape
check "metrics: worker01 fixed once, no drift left" \
  "has '^fleetk8s_fixes_total\{host=\"worker01\"\} 1$' && has '^fleetk8s_host_drifted_tasks\{host=\"worker01\"\} 0$'"
fixdir=$(ls -d "$work"/runs/*-watch-*-fix1-* | head -1)
check "the fix left its run folder (0700), its summary naming the change" \
  "[ -n '$fixdir' ] && [ \$(stat -c %a '$fixdir') = 700 ] && grep -q '\"changed\": *1' '$fixdir/summary.json'"

# A fix while another run holds the cluster's run lock: postponed, then done.
lockdir=/var/lib/fleetk8s
"$fleet" exec "$dir" cp1 -- sh -c "exec 9>>$lockdir/run.lock; flock 9; printf 'user=alice\nhost=laptop\npid=4242\ncommand=up\nstarted=2026-11-26T04:10:00Z\n' >$lockdir/run.lock.holder; echo held
  rm -f /root/release; for i in \$(seq 300); do [ -e /root/release ] && break; sleep 0.2; done" \
  >"$work/holder.out" 2>&1 &
holder_pid=$!
wait_for "grep -q held '$work/holder.out'" 20
on worker02 rm -f /etc/sysctl.d/99-kubernetes.conf
wait_for "grep -q 'fix postponed' '$log'" 60
sleep 3  # (more cycles while the lock is held: said once)
on cp1 touch /root/release
wait_for "grep -q 'fixed: worker02: ' '$log'" 60
cp "$log" "$work/out"
check "while alice holds the lock the fix is postponed (said with the holder), then done once it is free" \
  "[ \$(said 'fix postponed to the next cycle: another run holds the cluster.s run lock on cp1: alice@laptop .*\(said once\)$') = 1 ] && [ \$(said ' fixed: worker02: 1 task\(s\) changed: Bridge and forwarding sysctls, now and at boot$') = 1 ] && on worker02 test -e /etc/sysctl.d/99-kubernetes.conf"
wait "$holder_pid" 2>/dev/null; holder_pid=""

# Drift only a host's fingerprint shows (the host is not checked in full
# while it is unchanged): a line appended in place (the file's ctime, not its
# directory's), a kernel setting, the rpm database, a unit's state, SELinux's
# mode. Each is said, fixed and resolved.
while IFS='|' read -r task change; do
  on worker01 sh -c "$change"
  wait_for "grep -q 'resolved: drift: worker01: $task\$' '$log'" 60 || echo "not resolved: $task"
done <<'CHANGES'
Swap off after reboots|printf '/dev/mapper/rl-swap none swap defaults 0 0\n' >>/etc/fstab
Bridge and forwarding sysctls, now and at boot|echo 0 >/proc/sys/net/ipv4/ip_forward
kubelet, kubeadm and kubectl of the chosen version|rpm -e --nodeps kubectl
CRI-O running and enabled|systemctl stop crio
SELinux permissive, now and after reboots|setenforce 1
CHANGES
cp "$log" "$work/out"
check "what only a fingerprint shows (fstab appended, ip_forward, a package removed, crio stopped, SELinux enforcing): each said once, fixed, resolved" \
  "[ \$(count 'Z drift: worker01: (Swap off after reboots|Bridge and forwarding sysctls, now and at boot|kubelet, kubeadm and kubectl of the chosen version|CRI-O running and enabled|SELinux permissive, now and after reboots)$') = 5 ] && [ \$(count 'resolved: drift: worker01: (Swap off after reboots|Bridge and forwarding sysctls, now and at boot|kubelet, kubeadm and kubectl of the chosen version|CRI-O running and enabled|SELinux permissive, now and after reboots)$') = 5 ] && on worker01 rpm -q kubectl >/dev/null && [ \$(on worker01 getenforce) = Permissive ]"

# A host lost: said once (not every cycle), metrics down; back: said once.
"$fleet" stop-host "$dir" worker03 >/dev/null
wait_for "grep -q ' lost: worker03: ' '$log'" 30
sleep 4
scrape
check "a lost host is said once, and its metric says down" \
  "[ \$(said ' lost: worker03: ') = 1 ] && has '^fleetk8s_host_up\{host=\"worker03\"\} 0$' && has '^fleetk8s_host_up\{host=\"worker01\"\} 1$'"
"$fleet" start-host "$dir" worker03 >/dev/null
wait_for "grep -q ' back: worker03: reachable again' '$log'" 60
scrape
check "back: said once, its metric up again" \
  "[ \$(said ' back: worker03: reachable again \(lost for [0-9]+s\)$') = 1 ] && has '^fleetk8s_host_up\{host=\"worker03\"\} 1$'"

# The inventory edited: a broken edit is said and changes nothing; a good one is read.
cp "$inv" "$work/inventory.good"
printf '[workers\n' >>"$inv"
wait_for "grep -q 'inventory: not read again' '$log'" 20
sleep 2
scrape
check "a broken inventory is said (file:line) and the hosts read before stay watched" \
  "[ \$(said 'inventory: not read again, the hosts read before are still watched: $work/inventory\.ini:17: expected key=value') = 1 ] && [ \$(count '^fleetk8s_host_up\{') = 4 ]"
grep -v '^worker03 ' "$work/inventory.good" >"$inv"
wait_for "grep -q 'inventory: read again: 3 hosts; removed worker03' '$log'" 20
sleep 2
scrape
check "worker03 taken out of the inventory: read again, no longer watched or in the metrics" \
  "[ \$(said 'inventory: read again: 3 hosts; removed worker03$') = 1 ] && ! has 'worker03' && [ \$(connections | grep -c .) = 3 ]"

# SIGHUP: read again at once (systemctl reload).
kill -HUP "$watch_pid"
wait_for "[ \$(grep -c 'inventory: read again: 3 hosts' '$log') = 2 ]" 20
cp "$log" "$work/out"
check "SIGHUP: the inventory read again at once, said" "has ' watch: SIGHUP: reading the inventory again$' && [ \$(said 'inventory: read again: 3 hosts$') = 1 ]"

# SIGTERM: a clean stop, exit 0, every session closed.
kill -TERM "$watch_pid"
wait_for "! kill -0 $watch_pid 2>/dev/null" 30
wait "$watch_pid"; code=$?; watch_pid=""
cp "$log" "$work/out"
check "SIGTERM: exit 0 after saying it stops; no connection left" \
  "[ $code = 0 ] && has ' watch: stopping' && has ' watch: stopped after [0-9]+ cycle' && [ -z \"\$(connections)\" ]"
# -v: every cycle said. After the first, the hosts whose fingerprint did not
# change are not checked in full; --full-check-every equal to --every checks
# every host in full every cycle.
fk watch "$inv" --every 1s --full-check-every 0s
check "--full-check-every shorter than --every: exit 1 naming the flag" "[ \$(rc) = 1 ] && has -- '--full-check-every 0s: expected a duration no shorter than --every 1s'"
for full in 10m 1s; do
  (cd "$work" && exec "$bin" watch "$inv" --every 1s --full-check-every $full -v --run-dir "$work/runs4" >"$work/watch-$full.log" 2>&1) &
  watch_pid=$!
  wait_for "[ \$(grep -c ' cycle [0-9]*: ' '$work/watch-$full.log') -ge 4 ]" 60
  kill -TERM "$watch_pid"; wait "$watch_pid"; watch_pid=""
done
cp "$work/watch-10m.log" "$work/out"
check "-v: cycles after the first leave the unchanged hosts out (3 of 3), the first checks all" \
  "has ' cycle 1: 3 of 3 hosts checked in [0-9.]+ s \(controller CPU [0-9.]+ s\): converged' && [ \$(count ' cycle [2-9]: 3 of 3 hosts checked in [0-9.]+ s \(controller CPU [0-9.]+ s; 3 unchanged since their last full check\): converged$') -ge 3 ]"
cp "$work/watch-1s.log" "$work/out"
check "--full-check-every 1s (= --every): every host in full every cycle" \
  "has 'the cluster.s check every 1s \(every host in full\)' && [ \$(count ' cycle [2-9]: 3 of 3 hosts checked in [0-9.]+ s \(controller CPU [0-9.]+ s\): converged$') -ge 3 ] && ! has 'unchanged'"
# --playbook: a playbook in check mode instead of the cluster; --fix runs it on the drifted hosts.
cat >"$work/motd.yml" <<'YML'
- hosts: all
  gather_facts: false
  tasks:
    - name: The motd line
      lineinfile: { path: /root/watch-motd, line: "managed by fleetk8s", create: true }
YML
printf -- '- hosts: all\n  tasks:\n    - debug: { msg: "{{ nope( }}" }\n' >"$work/broken.yml"
fk watch "$inv" --playbook "$work/broken.yml" --run-dir "$work/runs2"
check "--playbook with a template error: exit 1 naming file:line, nothing run" "[ \$(rc) = 1 ] && has 'broken.yml:3:' && [ ! -e '$work/runs2' ]"
on worker01 rm -f /root/watch-motd; on worker02 rm -f /root/watch-motd; on cp1 rm -f /root/watch-motd
log=$work/watch2.log
(cd "$work" && exec "$bin" watch "$inv" --playbook "$work/motd.yml" --every 1s --fix --max-fix 2 --run-dir "$work/runs2" >"$log" 2>&1) &
watch_pid=$!
wait_for "[ \$(grep -c 'resolved: drift: .*: The motd line' '$log') = 3 ]" 60
on worker02 sed -i d /root/watch-motd
wait_for "[ \$(grep -c 'fixed: worker02: ' '$log') = 2 ]" 30
kill -TERM "$watch_pid"; wait "$watch_pid"; code=$?; watch_pid=""
cp "$log" "$work/out"
check "--playbook --fix: every host's drift said, fixed (2 at a time) and resolved; a later drift fixed again; exit 0" \
  "[ $code = 0 ] && has 'motd.yml in check mode every 1s; drift fixed, at most 2 host' && [ \$(count 'Z drift: (cp1|worker01|worker02): The motd line$') = 4 ] && [ \$(count 'fixed: (cp1|worker01|worker02): 1 task\(s\) changed: The motd line$') = 4 ] && [ \$(ls -d '$work'/runs2/*-fix* | wc -l) = 3 ] && on worker02 grep -qx 'managed by fleetk8s' /root/watch-motd"
# A fix that cannot succeed (drift in check mode, a failure in normal mode): said once per host, recorded once, not every cycle.
cat >"$work/stuck.yml" <<'YML'
- hosts: all
  gather_facts: false
  tasks:
    - name: Unwritable
      command: /bin/true
      check_mode: false
      changed_when: ansible_check_mode
      failed_when: not ansible_check_mode
YML
# This one serves its metrics over HTTPS with basic authentication (--metrics-config, an exporter's web config).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=fleetk8s-watch \
  -addext "subjectAltName=IP:${metrics%:*}" -keyout "$work/metrics.key" -out "$work/metrics.crt" 2>/dev/null
chmod 600 "$work/metrics.key"
hash='$2y$04$abcdefghijklmnopqrstuuKLvVYiVwiPwoRaKwUkZKXFafd3RmqEi'  # bcrypt of scrape-secret
printf 'tls_server_config:\n  cert_file: metrics.crt\n  key_file: metrics.key\nbasic_auth_users:\n  prometheus: %s\n' "$hash" >"$work/web.yml"
printf 'basic_auth_users:\n  prometheus: scrape-secret\n' >"$work/bad-web.yml"
fk watch "$inv" --playbook "$work/stuck.yml" --metrics "$metrics" --metrics-config "$work/bad-web.yml" --run-dir "$work/runs3"
check "--metrics-config with a password instead of its hash: exit 1 naming file:line, nothing run" \
  "[ \$(rc) = 1 ] && has 'bad-web.yml:2:15: basic_auth_users.prometheus: expected a bcrypt hash' && [ ! -e '$work/runs3' ]"
scrape_tls() { curl -s --max-time 5 --cacert "$work/metrics.crt" -u "$1" "https://$metrics/metrics" >"$work/out"; }
log=$work/watch3.log
(cd "$work" && exec "$bin" watch "$inv" --playbook "$work/stuck.yml" --every 1s --fix --run-dir "$work/runs3" --metrics "$metrics" --metrics-config "$work/web.yml" >"$log" 2>&1) &
watch_pid=$!
wait_for "scrape_tls prometheus:scrape-secret; grep -qE '^fleetk8s_cycles_total ([5-9]|[1-9][0-9]+)$' '$work/out'" 60
scrape_tls prometheus:wrong
cp "$work/out" "$work/denied"
kill -TERM "$watch_pid"; wait "$watch_pid"; watch_pid=""
cp "$log" "$work/out"
check "--metrics-config: HTTPS with basic authentication, said on the first line; a wrong password gets 401" \
  "has 'metrics at https://$metrics/metrics \(basic authentication\)$' && [ \"\$(cat '$work/denied')\" = Unauthorized ]"
check "a fix failing the same way every cycle: said once per host, one run folder each" \
  "[ \$(count ' fix failed: (cp1|worker01|worker02): Unwritable') = 3 ] && [ \$(ls -d '$work'/runs3/*-fix* | wc -l) = 3 ] && [ \$(count 'Z drift: ') = 3 ]"
check "nothing secret in what the watch said" "! grep -qiE 'token|certificate-key|BEGIN .*PRIVATE' '$log'"
finish
