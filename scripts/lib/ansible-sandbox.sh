# Sourced by scripts that run ansible-playbook against a sandbox fleet
# (scripts/bench-playbook.sh, tests/integration/playbook-ansible-compare.sh).
# See tests/data/ansible-sandbox/README.md for why Ansible needs these shims.

ANSIBLE_SANDBOX_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../tests/data/ansible-sandbox" && pwd)

# ansible_sandbox_need_collections: ansible.posix (sysctl, selinux) and
# community.general (modprobe) come with Debian's `ansible` package, not with
# ansible-core; installs it when missing (as scripts/install-deps.sh does).
ansible_sandbox_need_collections() {
  local c=/usr/lib/python3/dist-packages/ansible_collections
  [[ -d $c/ansible/posix && -d $c/community/general ]] && return 0
  echo "ansible-sandbox: installing Debian's 'ansible' package (collections ansible.posix, community.general)" >&2
  local sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ansible >/dev/null ||
    { DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ansible >/dev/null; }
}

# ansible_sandbox_config WORKDIR FORKS: writes WORKDIR/ansible.cfg (forks, pipelining,
# ControlPersist, the dnf stand-in module) and exports ANSIBLE_CONFIG. The inventory's
# ansible_ssh_common_args (known_hosts, StrictHostKeyChecking=yes) still apply.
ansible_sandbox_config() {
  local work=$1 forks=$2
  mkdir -p "$work/cp"
  cat >"$work/ansible.cfg" <<CFG
[defaults]
forks = $forks
library = $ANSIBLE_SANDBOX_SRC/library
interpreter_python = /usr/bin/python3
retry_files_enabled = False
host_key_checking = True
nocolor = True
deprecation_warnings = False
localhost_warning = False

[ssh_connection]
pipelining = True
ssh_args = -C -o ControlMaster=auto -o ControlPersist=120s
control_path_dir = $work/cp
CFG
  export ANSIBLE_CONFIG=$work/ansible.cfg
}

# ansible_sandbox_install_shims FLEET_DIR [HOST...]: puts host/ (usercustomize.py,
# selinux/) into root's user site-packages on the given hosts (default: all).
ansible_sandbox_install_shims() {
  local dir=$1; shift
  local site pyver
  pyver=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  site=/root/.local/lib/python$pyver/site-packages
  # shellcheck disable=SC1091
  . "$dir/fleet.env"
  # Unpacked by the hosts' python3: a Rocky minimal host has no tar.
  local tarball
  tarball=$(mktemp)
  tar -C "$ANSIBLE_SANDBOX_SRC/host" --exclude=__pycache__ -cf "$tarball" .
  awk -v only=" $* " 'only == "  " || index(only, " " $1 " ") { print $2 }' "$dir/hosts.list" |
    xargs -P 8 -I{} sh -c "ssh -F /dev/null -p $FLEET_PORT -i $dir/id_ed25519 -o UserKnownHostsFile=$dir/known_hosts \
      -o StrictHostKeyChecking=yes -o BatchMode=yes root@{} 'mkdir -p $site && python3 -c \"import sys,io,tarfile;tarfile.open(fileobj=io.BytesIO(sys.stdin.buffer.read())).extractall(sys.argv[1])\" $site' <$tarball" ||
    { rm -f "$tarball"; echo "ansible-sandbox: installing the shims failed" >&2; return 1; }
  rm -f "$tarball"
}
