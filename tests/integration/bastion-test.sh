#!/usr/bin/env bash
# Reaching hosts through a bastion, and ssh_config, end to end on a sandbox
# fleet of 3 hosts behind a bastion (its own, on net 82): the hosts' sshd
# accept logins only from the bastion's address. `fleetk8s exec` and `run`
# reach every host through the bastion with --jump, with a ProxyJump from
# ssh_config (-F) and with the inventory's ansible_ssh_common_args, over ONE
# connection to the bastion; a changed bastion key is refused, a dead bastion
# makes every host behind it unreachable (exit 4) and is named; ssh_config
# User/Port/IdentityFile apply where the inventory says nothing, the
# inventory wins where it does.
# Usage: bastion-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

"$fleet" up --bastion --net 82 --port 2482 3 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
. "$dir/fleet.env"
bastion=$FLEET_BASTION:2482
direct=$dir/inventory.ini         # the hosts, reached directly (which they refuse)
behind=$dir/inventory-bastion.ini # the same, with -o ProxyJump=root@bastion in ansible_ssh_common_args

cat >"$work/book.yml" <<'EOF'
- hosts: all
  gather_facts: false
  tasks:
    - name: hostname
      command: hostname
      register: name
    - name: leave a mark
      copy:
        content: "{{ name.stdout }} via the bastion\n"
        dest: /var/tmp/fleetk8s-bastion-mark
EOF
cat >"$work/jump.conf" <<EOF
Host jumpbox
  HostName $FLEET_BASTION
  Port 2482
  User root
Host 127.0.82.* !$FLEET_BASTION
  ProxyJump jumpbox
EOF

# 1. The topology: no direct way in.
fk exec -i "$direct" -F none --connect-timeout 5 -- hostname
check "direct logins to the hosts are refused: exit 4, every host unreachable" "[ \$(rc) = 4 ] && [ \$(count '\| unreachable \|') = 3 ]"
check "... by their sshd, which accepts only the bastion's address" "grep -q 'not listed in AllowUsers' '$dir/hosts/cp1/sshd.log'"

# 2. The three ways to say "through the bastion", for exec and run.
fk exec -i "$direct" -F none --jump "root@$bastion" -- hostname
check "exec --jump: every host answers through the bastion" "[ \$(rc) = 0 ] && has '^cp1 \| cp1$' && has '^worker01 \| worker01$' && has '^worker02 \| worker02$'"
fk run -i "$direct" -F none --jump "root@$bastion" "$work/book.yml"
check "run --jump: the playbook ran on every host" "[ \$(rc) = 0 ] && [ \$(count 'unreachable=0 +failed=0') = 3 ] && [ \"\$(on worker02 cat /var/tmp/fleetk8s-bastion-mark)\" = 'worker02 via the bastion' ]"
fk exec -i "$direct" -F "$work/jump.conf" -- hostname
check "exec with ProxyJump from ssh_config (-F)" "[ \$(rc) = 0 ] && [ \$(count '\| ok \|') = 3 ]"
fk run -i "$direct" -F "$work/jump.conf" "$work/book.yml"
check "run with ProxyJump from ssh_config (-F)" "[ \$(rc) = 0 ] && [ \$(count 'unreachable=0 +failed=0') = 3 ]"
fk exec -i "$behind" -F none -- hostname
check "exec with -o ProxyJump in ansible_ssh_common_args" "[ \$(rc) = 0 ] && [ \$(count '\| ok \|') = 3 ]"
fk run -i "$behind" -F none "$work/book.yml"
check "run with -o ProxyJump in ansible_ssh_common_args" "[ \$(rc) = 0 ] && [ \$(count 'unreachable=0 +failed=0') = 3 ]"
sed "s|-o ProxyJump=root@$bastion|-o ProxyCommand=\"ssh -W %h:%p -q -p 2482 root@$FLEET_BASTION\"|" "$behind" >"$work/proxycommand.ini"
fk exec -i "$work/proxycommand.ini" -F none -- hostname
check "exec with ProxyCommand='ssh -W %h:%p ...' in ansible_ssh_common_args" "[ \$(rc) = 0 ] && [ \$(count '\| ok \|') = 3 ]"

# 3. One connection to the bastion for all the hosts behind it.
(cd "$work" && "$bin" exec -i "$behind" -F none -- 'sleep 3; hostname' >"$work/slow.out" 2>&1) &
slow=$!
to_bastion=0 from_bastion=0
for _ in $(seq 50); do
  from_bastion=$(ss -Htn state established "src $FLEET_BASTION and dport = :2482" | wc -l)
  to_bastion=$(ss -Htn state established "dst $FLEET_BASTION and dport = :2482" | wc -l)
  [ "$from_bastion" -ge 3 ] && break
  sleep 0.05
done
wait $slow
echo "# connections: controller -> bastion: $to_bastion, bastion -> hosts: $from_bastion"
check "3 hosts behind the bastion share ONE connection to it" "[ $to_bastion = 1 ] && [ $from_bastion = 3 ] && grep -q '^ok: 3 hosts' '$work/slow.out'"

# 4. ssh_config precedence, on the bastion itself (the one host with a direct way in).
printf '[all]\nb ansible_host=%s\n' "$FLEET_BASTION" >"$work/b.ini"
printf '[all]\nb ansible_host=%s ansible_user=root ansible_port=2482 ansible_ssh_private_key_file=%s\n' \
  "$FLEET_BASTION" "$dir/id_ed25519" >"$work/b-set.ini"
cat >"$work/prec.conf" <<EOF
Host $FLEET_BASTION
  User deploy
  Port 2482
  IdentityFile $dir/keys/id_ecdsa
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
EOF
fk exec -i "$work/b.ini" -F "$work/prec.conf" -- 'id -un'
check "ssh_config's User, Port, IdentityFile, UserKnownHostsFile apply when the inventory says nothing" "[ \$(rc) = 0 ] && has '^b \| deploy$'"
fk exec -i "$work/b.ini" -F "$work/prec.conf" -u ops -- 'id -un'
check "-u wins over ssh_config's User" "[ \$(rc) = 0 ] && has '^b \| ops$'"
sed -e 's/^  User deploy/  User nobody/' -e 's/^  Port 2482/  Port 1/' -e "s|IdentityFile .*|IdentityFile $work/no-such-key|" \
  "$work/prec.conf" >"$work/wrong.conf"
fk exec -i "$work/b.ini" -F "$work/wrong.conf" --connect-timeout 5 -- 'id -un'
check "... so a wrong ssh_config port is used (and fails)" "[ \$(rc) = 4 ] && has 'connection refused by $FLEET_BASTION:1 '"
sed 's/^  Port 1/  Port 2482/' "$work/wrong.conf" >"$work/wrong-key.conf"
fk exec -i "$work/b.ini" -F "$work/wrong-key.conf" -- 'id -un'
check "... and a wrong ssh_config IdentityFile is the only key tried" "[ \$(rc) = 4 ] && has 'nobody@' && has 'key $work/no-such-key \(no such file\)'"
fk exec -i "$work/b-set.ini" -F "$work/wrong.conf" -- 'id -un'
check "inventory variables win over ssh_config (user, port, key)" "[ \$(rc) = 0 ] && has '^b \| root$'"

# 5. A bastion whose key changed: refused for every host behind it.
"$fleet" rekey-host "$dir" bastion >/dev/null
fk exec -i "$behind" -F none -- hostname
check "a changed bastion host key is refused: exit 4, named for every host" "[ \$(rc) = 4 ] && [ \$(count 'worker0[12]: via bastion $bastion: REMOTE HOST IDENTIFICATION HAS CHANGED') = 2 ]"
check "nothing ran behind it" "! has '\| ok \|'"
grep -v "^\[$FLEET_BASTION\]:2482 " "$dir/known_hosts" >"$work/kh" && cat "$work/kh" >"$dir/known_hosts"
echo "[$FLEET_BASTION]:2482 $(cut -d' ' -f1,2 "$dir/hosts/bastion/ssh_host_ed25519_key.pub")" >>"$dir/known_hosts"
fk exec -i "$behind" -F none -- hostname
check "with the new key recorded, the hosts are reachable again" "[ \$(rc) = 0 ] && [ \$(count '\| ok \|') = 3 ]"

# 6. A dead bastion: every host behind it is unreachable, quickly, and the bastion is named.
"$fleet" stop-host "$dir" bastion >/dev/null
start=$(date +%s)
fk exec -i "$behind" -F none --connect-timeout 5 -- hostname
took=$(( $(date +%s) - start ))
check "a dead bastion makes every host behind it unreachable (exit 4)" "[ \$(rc) = 4 ] && [ \$(count '^  (cp1|worker0[12]): via bastion $bastion: connection refused by $bastion') = 3 ]"
check "... at once, not after a timeout (${took}s)" "[ $took -lt 5 ]"
fk run -i "$behind" -F none "$work/book.yml"
check "run: the hosts behind a dead bastion are unreachable (exit 4)" "[ \$(rc) = 4 ] && [ \$(count 'unreachable=1') = 3 ]"

finish
