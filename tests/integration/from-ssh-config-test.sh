#!/usr/bin/env bash
# `fleetk8s inventory from-ssh-config` and the Vagrant rig's pieces, as an
# admin uses them (this machine runs no VMs):
#   - a captured `vagrant ssh-config` (tests/data/vagrant/ssh-config.txt)
#     becomes an inventory that `fleetk8s inventory list` and
#     `ansible-inventory --list` read the same way, with Vagrant's "no
#     host-key checking" replaced by trust on first use in a rig known_hosts;
#   - on a sandbox fleet of its own (net 81) described the way Vagrant
#     describes its machines, that inventory connects, pins every host key
#     and refuses a changed one;
#   - node_ip reaches kubeadm's configuration (advertise address, kubelet
#     node-ip in v1beta3 and v1beta4 form), rendered by fleetk8s;
#   - scripts/vagrant: Vagrantfile (ruby -c, and evaluated against a stub
#     of Vagrant's API), up.sh (bash -n, shellcheck, missing vagrant, the
#     inventory it writes, against a fake vagrant).
# Usage: from-ssh-config-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
# A stdin of its own: tests run side by side share ctest's, and an ssh client in
# another test may have made it non-blocking, which Ansible refuses.
exec </dev/null
bin=$(realpath "$1") fleet=$(realpath "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
fixture=$root/tests/data/vagrant/ssh-config.txt
work=$(mktemp -d)
dir=$work/fleet
trap '"$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

pwhome=$(python3 -c 'import os, pwd; print(pwd.getpwuid(os.getuid()).pw_dir)')  # ssh's ~, not $HOME
# json FILE PYTHON-EXPR: evaluates EXPR with `j` = the JSON in FILE (exit 0 when true).
json() { python3 -c "import json, sys; j = json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }

# --- the captured vagrant ssh-config -------------------------------------
mkdir -p "$work/rig"
fk inventory from-ssh-config "$fixture" -o "$work/rig/inventory.ini"
check "from-ssh-config: exit 0, nothing on stdout but one note on stderr" "[ \$(rc) = 0 ] && [ \$(wc -l <'$work/out') = 1 ]"
check "the note says host-key checking was off and where keys are kept now" \
  "has '^note: .*ssh-config.txt switches host-key checking off for cp1, worker01, worker02 .*first use .*$work/rig/known_hosts'"
inv=$work/rig/inventory.ini
check "Vagrant's 'no checking' is not carried into the inventory" \
  "! grep -qiE 'StrictHostKeyChecking=(no|off|false)|/dev/null' '$inv' && grep -q 'StrictHostKeyChecking=accept-new' '$inv'"
fk inventory list -i "$inv"; cp "$work/out" "$work/list.json"
check "the inventory loads: cp1 the control plane, worker01/02 the workers" \
  "json '$work/list.json' \"j['control_plane']['hosts'] == ['cp1'] and j['workers']['hosts'] == ['worker01', 'worker02']\""
check "host variables: address, port (a number), user, the machine's key" \
  "json '$work/list.json' \"[(v['ansible_host'], v['ansible_port'], v['ansible_user'], v['ansible_private_key_file']) for v in (j['_meta']['hostvars'][h] for h in ('cp1', 'worker01', 'worker02'))] == [('127.0.0.1', p, 'vagrant', '/home/admin/fleetk8s/scripts/vagrant/.vagrant/machines/%s/virtualbox/private_key' % h) for h, p in (('cp1', 2222), ('worker01', 2200), ('worker02', 2201))]\""
check "every host: accept-new with the rig's known_hosts, in ansible_ssh_common_args" \
  "json '$work/list.json' \"all(j['_meta']['hostvars'][h]['ansible_ssh_common_args'] == '-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=$work/rig/known_hosts' for h in ('cp1', 'worker01', 'worker02'))\""

if command -v ansible-inventory >/dev/null 2>&1; then
  : >"$work/ansible.cfg"
  ANSIBLE_CONFIG=$work/ansible.cfg ANSIBLE_INVENTORY_UNPARSED_FAILED=true ANSIBLE_NOCOLOR=true \
    ansible-inventory -i "$inv" --list >"$work/ansible.json" 2>"$work/out"; echo $? >"$work/rc"
  check "compat: ansible-inventory reads the same hosts, groups and variables" \
    "[ \$(rc) = 0 ] && python3 -c 'import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); sys.exit(0 if a == b else 1)' '$work/ansible.json' '$work/list.json'"
else
  echo "ok - compat: ansible-inventory not installed: comparison skipped"
fi

mkdir -p "$work/cwd"
(cd "$work/cwd" && "$bin" inventory from-ssh-config - <"$fixture") >"$work/out" 2>"$work/err"; echo $? >"$work/rc"
check "stdin (-): the inventory on stdout, known_hosts in the current directory" \
  "[ \$(rc) = 0 ] && has '^cp1 ansible_host=127.0.0.1 ansible_port=2222 ansible_user=vagrant ' && has \"UserKnownHostsFile=$work/cwd/known_hosts'\$\" && grep -q '<stdin> switches' '$work/err'"

fk inventory from-ssh-config "$fixture" --control-plane worker01,worker02 --group-vars 'kubernetes_version="1.33"' -o "$work/cp.ini"
fk inventory list -i "$work/cp.ini"; cp "$work/out" "$work/cp.json"
check "--control-plane and --group-vars" \
  "json '$work/cp.json' \"j['control_plane']['hosts'] == ['worker01', 'worker02'] and j['workers']['hosts'] == ['cp1'] and j['_meta']['hostvars']['cp1']['kubernetes_version'] == '1.33'\""
fk inventory from-ssh-config "$fixture" --control-plane cp2
check "--control-plane with an unknown name: exit 1, the hosts listed" \
  "[ \$(rc) = 1 ] && has '^fleetk8s: --control-plane cp2: no such host in .*ssh-config.txt \(hosts: cp1, worker01, worker02\)$'"

cat >"$work/bastion.conf" <<'CONF'
Host *.internal !gw.internal
  ProxyJump admin@gw.internal:2222
  User ops
Host db1.internal db1
  Port 2200
Host web1
  HostName 10.1.0.5
  StrictHostKeyChecking accept-new
  UserKnownHostsFile ~/.ssh/known_hosts.lab
Host *
  IdentityFile /keys/ops_ed25519
CONF
fk inventory from-ssh-config "$work/bastion.conf" -o "$work/bastion.ini"
check "no note when the config keeps host-key checking on" "[ \$(rc) = 0 ] && [ ! -s '$work/out' ]"
fk inventory list -i "$work/bastion.ini"; cp "$work/out" "$work/bastion.json"
check "wildcard blocks are defaults, not hosts; a ProxyJump and a per-host policy are carried" \
  "json '$work/bastion.json' \"sorted(j['_meta']['hostvars']) == ['db1.internal', 'web1'] and j['_meta']['hostvars']['db1.internal'] == {'ansible_port': 2200, 'ansible_user': 'ops', 'ansible_private_key_file': '/keys/ops_ed25519', 'ansible_ssh_common_args': '-o ProxyJump=admin@gw.internal:2222'} and j['_meta']['hostvars']['web1']['ansible_ssh_common_args'] == '-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=$pwhome/.ssh/known_hosts.lab'\""

printf 'Host x\n  HostName 10.0.0.1\n\n  Bogus yes\n' >"$work/bad.conf"
fk inventory from-ssh-config "$work/bad.conf"
check "a bad config: exit 1, FILE:LINE and ssh's wording" "[ \$(rc) = 1 ] && has '^fleetk8s: $work/bad.conf:4: Bad configuration option: bogus$'"
printf 'Host *\n  User x\n' >"$work/none.conf"
fk inventory from-ssh-config "$work/none.conf"
check "a config without a concrete host: exit 1, said so" "[ \$(rc) = 1 ] && has 'no Host block names a host'"

# --- a sandbox fleet described as Vagrant describes its machines ---------
"$fleet" up --net 81 --port 2481 3 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
while read -r name addr; do
  printf 'Host %s\n  HostName %s\n  User root\n  Port 2481\n  UserKnownHostsFile /dev/null\n  StrictHostKeyChecking no\n  PasswordAuthentication no\n  IdentityFile %s\n  IdentitiesOnly yes\n  LogLevel FATAL\n\n' \
    "$name" "$addr" "$dir/id_ed25519"
done <"$dir/hosts.list" >"$work/sandbox-ssh-config"
mkdir -p "$work/sb"
fk inventory from-ssh-config "$work/sandbox-ssh-config" -o "$work/sb/inventory.ini"
fk exec -i "$work/sb/inventory.ini" -- hostname
check "the inventory connects to every host (keys trusted on first use)" \
  "[ \$(rc) = 0 ] && has '^ok: 3 hosts$' && [ \$(count 'permanently added') = 3 ]"
check "the keys pinned are the hosts' own" \
  "[ \"\$(awk '{ print \$1, \$3 }' '$work/sb/known_hosts' | sort)\" = \"\$(awk '{ print \$1, \$3 }' '$dir/known_hosts' | sort)\" ]"
fk exec -i "$work/sb/inventory.ini" -- true
check "a second run uses the pinned keys" "[ \$(rc) = 0 ] && ! has 'permanently added'"
"$fleet" rekey-host "$dir" worker01 >/dev/null
fk exec -i "$work/sb/inventory.ini" -- true
check "a changed host key is refused (exit 4), the others go on" \
  "[ \$(rc) = 4 ] && has 'worker01 .*REMOTE HOST IDENTIFICATION HAS CHANGED' && has '^ok: 2 hosts$'"

# --- node_ip in kubeadm's configuration, rendered by fleetk8s ------------
sed 's/^cp1 .*/& node_ip=192.168.56.10/' "$dir/inventory.ini" >"$work/np.ini"
on cp1 mkdir -p /etc/kubernetes  # prepare.yml's kubeadm package makes it; check mode needs it to say "would write"
# rendered PLAYBOOK_OUT TASK: the YAML documents a --check --diff run would write, as JSON.
rendered() {
  python3 - "$1" "$2" <<'PY'
import json, re, sys, yaml
text, task = open(sys.argv[1]).read(), sys.argv[2]
part = text.split("TASK [%s]" % task, 1)[1].split("TASK [", 1)[0]
body = "\n".join(l[1:] for l in part.splitlines() if l.startswith("+") and not l.startswith("+++"))
print(json.dumps([d for d in yaml.safe_load_all(body) if d]))
PY
}
for version in 1.33 1.30; do
  fk run -i "$work/np.ini" "$root/playbooks/control-plane.yml" --check --diff -l cp1 \
    -e @"$root/playbooks/vars/defaults.yml" -e kubernetes_version="$version"
  cp "$work/out" "$work/cp-$version.out"
  rendered "$work/cp-$version.out" "kubeadm configuration" >"$work/init-$version.json" 2>/dev/null
done
check "control-plane.yml (1.33, v1beta4): advertiseAddress and kubelet node-ip are node_ip" \
  "json '$work/init-1.33.json' \"j[0]['apiVersion'] == 'kubeadm.k8s.io/v1beta4' and j[0]['localAPIEndpoint']['advertiseAddress'] == '192.168.56.10' and j[0]['nodeRegistration']['kubeletExtraArgs'] == [{'name': 'node-ip', 'value': '192.168.56.10'}] and j[1]['controlPlaneEndpoint'] == '192.168.56.10:6443'\""
check "control-plane.yml (1.30, v1beta3): kubeletExtraArgs as a map" \
  "json '$work/init-1.30.json' \"j[0]['apiVersion'] == 'kubeadm.k8s.io/v1beta3' and j[0]['nodeRegistration']['kubeletExtraArgs'] == {'node-ip': '192.168.56.10'}\""
fk run -i "$dir/inventory.ini" "$root/playbooks/control-plane.yml" --check --diff -l cp1 -e @"$root/playbooks/vars/defaults.yml"
rendered "$work/out" "kubeadm configuration" >"$work/init-plain.json" 2>/dev/null
check "without node_ip: the address fleetk8s connects to, no kubelet extra args" \
  "json '$work/init-plain.json' \"j[0]['localAPIEndpoint']['advertiseAddress'] == '127.0.81.1' and 'kubeletExtraArgs' not in j[0]['nodeRegistration']\""
cat >"$work/join-render.yml" <<YML
- name: Render the join configuration
  hosts: cp1
  gather_facts: false
  vars:
    kubeadm_api: "kubeadm.k8s.io/{{ 'v1beta4' if kubernetes_version is version('1.31', '>=') else 'v1beta3' }}"
    advertise_address: "{{ node_ip }}"
    join_endpoint: "192.168.56.10:6443"
    join_token: "abcdef.0123456789abcdef"
    join_ca_hash: "sha256:$(printf '%064d' 0)"
    join_certificate_key: "$(printf '%064d' 1)"
  tasks:
    - name: Join configuration
      template: { src: $root/playbooks/templates/kubeadm-join.yaml.j2, dest: /etc/fleetk8s-join-test.yaml }
YML
fk run -i "$work/np.ini" "$work/join-render.yml" --check --diff -e kubernetes_version=1.33
rendered "$work/out" "Join configuration" >"$work/join.json" 2>/dev/null
check "kubeadm-join.yaml.j2: kubelet node-ip and the control plane's advertise address" \
  "json '$work/join.json' \"j[0]['nodeRegistration']['kubeletExtraArgs'] == [{'name': 'node-ip', 'value': '192.168.56.10'}] and j[0]['controlPlane']['localAPIEndpoint']['advertiseAddress'] == '192.168.56.10'\""

# --- scripts/vagrant ------------------------------------------------------
vagrant_dir=$root/scripts/vagrant
check "up.sh and down.sh: bash -n" "bash -n '$vagrant_dir/up.sh' && bash -n '$vagrant_dir/down.sh'"
if command -v shellcheck >/dev/null 2>&1; then
  check "up.sh and down.sh: shellcheck-clean" "shellcheck '$vagrant_dir/up.sh' '$vagrant_dir/down.sh'"
else
  echo "ok - shellcheck not installed: skipped"
fi
if ! command -v ruby >/dev/null 2>&1; then
  echo "# installing Debian's ruby (for ruby -c Vagrantfile)" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ruby >/dev/null 2>&1 ||
    { DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ruby >/dev/null 2>&1; }
fi
if command -v ruby >/dev/null 2>&1; then
  check "Vagrantfile: ruby -c" "ruby -c '$vagrant_dir/Vagrantfile' >/dev/null"
  # Vagrant's configuration API, stubbed: records what the Vagrantfile asks for.
  cat >"$work/stub.rb" <<'RUBY'
class Rec
  def initialize(log, path) @log, @path = log, path end
  def method_missing(name, *args, &blk)
    n = name.to_s
    if n.end_with?("=") then @log["#{@path}.#{n.chomp('=')}"] = args.first
    elsif blk then blk.call(Rec.new(@log, "#{@path}.#{n}(#{args.first})"))
    elsif args.empty? then return Rec.new(@log, "#{@path}.#{n}")
    else (@log["#{@path}.#{n}"] ||= []) << args
    end
    self
  end
  def respond_to_missing?(*) true end
end
module Vagrant
  LOG = {}
  def self.configure(version) yield Rec.new(LOG, "config") end
end
load ARGV[0]
Vagrant::LOG.sort.each { |k, v| puts "#{k} = #{v.inspect}" }
RUBY
  ruby "$work/stub.rb" "$vagrant_dir/Vagrantfile" >"$work/out" 2>&1
  check "Vagrantfile: Rocky 8, 3 machines with fixed private IPs and host names, 2 CPUs / 4096 MiB on both providers" \
    "has '^config.vm.box = \"generic/rocky8\"' && has 'define\(cp1\).vm.hostname = \"cp1\"' && has 'define\(worker02\).vm.hostname = \"worker02\"' && has 'define\(worker01\).vm.network = \[\[\"private_network\", \{:ip=>\"192.168.56.11\"\}\]\]' && has 'provider\(virtualbox\).cpus = 2' && has 'provider\(virtualbox\).memory = 4096' && has 'provider\(libvirt\).cpus = 2' && has 'provider\(libvirt\).memory = 4096' && [ \$(count 'vm.hostname') = 3 ]"
else
  echo "ok - ruby could not be installed: Vagrantfile checks skipped"
fi

# up.sh without vagrant: a clear message (PATH holds only what up.sh needs).
mkdir -p "$work/bin-novagrant"
for t in bash dirname sed awk mkdir rm cat; do ln -s "$(command -v $t)" "$work/bin-novagrant/$t"; done
PATH=$work/bin-novagrant "$vagrant_dir/up.sh" >"$work/out" 2>&1; echo $? >"$work/rc"
check "up.sh without vagrant: exit 1 and what to install" "[ \$(rc) = 1 ] && has '^up.sh: vagrant is not installed. Install Vagrant' && has 'VirtualBox, or libvirt'"
# up.sh against a fake vagrant: the inventory it writes.
mkdir -p "$work/bin-fake"
cat >"$work/bin-fake/vagrant" <<FAKE
#!/bin/sh
echo "\$*" >>"$work/vagrant-calls"
case \$1 in ssh-config) cat "$fixture" ;; esac
FAKE
chmod +x "$work/bin-fake/vagrant"
PATH=$work/bin-fake:$PATH FLEETK8S=$bin FLEETK8S_RIG_DIR=$work/rig2 "$vagrant_dir/up.sh" --provider libvirt --inventory-only >"$work/out" 2>&1
echo $? >"$work/rc"
check "up.sh --inventory-only: vagrant up with the provider, then ssh-config" \
  "[ \$(rc) = 0 ] && [ \"\$(cat '$work/vagrant-calls' | tr '\n' '|')\" = 'up --provider libvirt|ssh-config|' ] && has 'inventory written'"
fk inventory list -i "$work/rig2/inventory.ini"; cp "$work/out" "$work/rig2.json"
check "up.sh's inventory: node_ip from scripts/vagrant/nodes on every host, keys kept in the rig" \
  "json '$work/rig2.json' \"[j['_meta']['hostvars'][h]['node_ip'] for h in ('cp1', 'worker01', 'worker02')] == ['192.168.56.10', '192.168.56.11', '192.168.56.12'] and 'UserKnownHostsFile=$work/rig2/known_hosts' in j['_meta']['hostvars']['cp1']['ansible_ssh_common_args']\""

finish
