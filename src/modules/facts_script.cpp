// The fact-gathering script: raw observations as `key=value` lines, one
// per line, in one round trip. It decides nothing (parse_facts does, where
// it can be tested); it only reads files with the shell's own `read` and runs
// the few programs it must (uname, awk, getent, ls, ip, date: about eight
// processes), each allowed to be missing. Keys are [a-z0-9_]+; a value is the
// rest of its line. Lines a key repeats (os_release=, cpuinfo=, ...) keep
// their order.
#include "fleetk8s/modules/facts.h"

namespace fleetk8s::modules {

namespace {

const char* kScript = R"SH(exec 2>/dev/null
LC_ALL=C; export LC_ALL
fk_nl='
'
echo fleetk8s_facts=1
# each line of file $2 as $1=LINE (none when unreadable)
fk_lines() { [ -r "$2" ] || return 0; while IFS= read -r fk_l || [ -n "$fk_l" ]; do printf '%s=%s\n' "$1" "$fk_l"; done <"$2"; }
fk_first() { [ -r "$2" ] || return 0; IFS= read -r fk_l <"$2" || [ -n "$fk_l" ] && printf '%s=%s\n' "$1" "$fk_l"; }
fk_has() { command -v "$1" >/dev/null; }

fk_node=
fk_u=$(uname -snrvm) && echo "uname=$fk_u" && set -f && set -- $fk_u && fk_node=$2 && set +f
if [ -r /etc/os-release ]; then fk_lines os_release /etc/os-release; else fk_lines os_release /usr/lib/os-release; fi
[ -s /etc/oracle-release ] && fk_first oracle_release /etc/oracle-release
[ -s /etc/centos-release ] && fk_first centos_release /etc/centos-release
[ -s /etc/redhat-release ] && fk_first redhat_release /etc/redhat-release
[ -s /etc/debian_version ] && fk_first debian_version /etc/debian_version
[ -e /proc/xen ] && echo xen=1
fk_first hypervisor /sys/hypervisor/type
[ -r /proc/cpuinfo ] && awk -F: '
  /^(model name|Processor|vendor_id|cpu|Vendor|processor|physical id|core id|cpu cores|siblings|# processors|ncpus active)[ \t]*:/ { print "cpuinfo=" $0; next }
  /^flags[ \t]*:/ { print "cpuinfo=flags: " ($2 ~ / vme( |$)/ ? "vme" : "") }' /proc/cpuinfo
# the CPUs this process may run on (Python's os.sched_getaffinity)
if [ -r /proc/self/status ]; then
  while IFS= read -r fk_l; do case $fk_l in Cpus_allowed_list:*) echo "cpus_allowed=${fk_l#*:}"; break ;; esac; done </proc/self/status
fi
if [ -r /proc/meminfo ]; then
  while IFS= read -r fk_l; do
    case $fk_l in MemTotal:*|MemFree:*|Buffers:*|Cached:*|SwapCached:*|SwapTotal:*|SwapFree:*) echo "meminfo=$fk_l" ;; esac
  done </proc/meminfo
fi
fk_first uptime /proc/uptime
for fk_f in /var/lib/dbus/machine-id /etc/machine-id; do
  fk_l=; [ -r "$fk_f" ] && IFS= read -r fk_l <"$fk_f"
  [ -n "$fk_l" ] && echo "machine_id=$fk_l" && break
done
# the board's UUID (readable by root only; no DMI on some ARM machines and clouds)
if [ -e /sys/class/dmi/id/product_uuid ]; then echo dmi_product_uuid_file=1; fk_first product_uuid /sys/class/dmi/id/product_uuid; fi

# fqdn as Python's socket.getfqdn(): the host name's address, then that address's names
if fk_has getent; then
  echo getent=1
  set -- $(getent ahosts "$fk_node")
  [ -n "${1:-}" ] && fk_u=$(getent hosts "$1") && echo "fqdn_names=${fk_u%%"$fk_nl"*}"
fi

# SELinux: the kernel's view, else the getenforce of the host
if [ -r /sys/fs/selinux/enforce ]; then
  fk_first selinux_enforce /sys/fs/selinux/enforce
  fk_first selinux_policyvers /sys/fs/selinux/policyvers
elif fk_has getenforce; then
  fk_u=$(getenforce) && echo "selinux_getenforce=$fk_u"
else
  echo selinux_absent=1
fi
if [ -r /etc/selinux/config ]; then
  while IFS= read -r fk_l; do case $fk_l in SELINUX=*|SELINUXTYPE=*) echo "selinux_config=$fk_l" ;; esac; done </etc/selinux/config
fi

# service manager, as Ansible's service_mgr collector looks at it
fk_l=; [ -r /proc/1/comm ] && IFS= read -r fk_l </proc/1/comm && echo "proc1=$fk_l"
case $fk_l in ''|init|*sh) [ -L /sbin/init ] && fk_u=$(readlink /sbin/init) && echo "sbin_init=$fk_u" ;; esac
if fk_has systemctl; then
  echo systemctl=1
  for fk_f in /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/; do [ -e "$fk_f" ] && echo systemd_booted=1 && break; done
fi
fk_has initctl && [ -e /etc/init/ ] && echo upstart=1
[ -e /sbin/openrc ] && echo openrc=1
[ -e /etc/init.d/ ] && echo sysvinit=1

# package managers present (Ansible's PKG_MGRS order, Linux ones)
for fk_f in /usr/bin/rpm-ostree /usr/bin/yum /usr/bin/dnf /usr/bin/apt-get /usr/bin/zypper /usr/sbin/urpmi \
    /usr/bin/pacman /bin/opkg /sbin/apk /usr/bin/emerge /usr/bin/xbps-install /usr/bin/swupd; do
  [ -e "$fk_f" ] && echo "pkg_path=$fk_f"
done
[ -e /run/ostree-booted ] && echo ostree_booted=1

# the user, as Python's getpass.getuser() and pwd see it
fk_user=${LOGNAME:-${USER:-${LNAME:-${USERNAME:-}}}}
[ -n "$fk_user" ] || fk_user=$(id -un)
[ -n "$fk_user" ] && echo "user=$fk_user"
fk_u=$(getent passwd "$fk_user" || getent passwd "$(id -u)") && echo "passwd=${fk_u%%"$fk_nl"*}"

# network: interfaces in directory order, their sysfs attributes, the IPv4 addresses and route
if fk_has ip; then
  echo ip=1
  for fk_i in $(ls -U /sys/class/net); do
    fk_d=/sys/class/net/$fk_i
    [ -d "$fk_d" ] || continue
    echo "iface=$fk_i"
    for fk_f in address mtu type operstate flags speed; do  # speed: EINVAL on virtual links, then left out
      [ -r "$fk_d/$fk_f" ] && IFS= read -r fk_l <"$fk_d/$fk_f" 2>/dev/null && echo "iface_$fk_f=$fk_i $fk_l"
    done
    [ -e "$fk_d/device" ] && fk_l=$(readlink -- "$fk_d/device") && echo "iface_pciid=$fk_i ${fk_l##*/}"
    [ -e "$fk_d/device/driver/module" ] && fk_l=$(readlink -f -- "$fk_d/device/driver/module") &&
      echo "iface_module=$fk_i ${fk_l##*/}"
    [ -e "$fk_d/bridge" ] && echo "iface_kind=$fk_i bridge"
    [ -e "$fk_d/bonding" ] && echo "iface_kind=$fk_i bonding"
  done
  # one ip for both (-batch), else two (an ip without -batch prints nothing)
  fk_u=$(ip -force -o -4 -batch - <<EOF
route get 8.8.8.8
addr show
EOF
)
  [ -n "$fk_u" ] || fk_u=$(ip -o -4 route get 8.8.8.8; ip -o -4 addr show)
  set -f; fk_ifs=$IFS; IFS=$fk_nl
  for fk_l in $fk_u; do
    case $fk_l in 8.8.8.8\ *) echo "route4=${fk_l%%\\*}" ;; [0-9]*:*) echo "addr4=${fk_l%%\\*}" ;; esac
  done
  fk_u=$(ip -o -6 addr show 2>/dev/null)
  for fk_l in $fk_u; do
    case $fk_l in [0-9]*:*inet6\ *) echo "addr6=${fk_l%%\\*}" ;; esac
  done
  IFS=$fk_ifs; set +f
fi

fk_u=$(date -u '+%s %Y-%m-%dT%H:%M:%SZ') && echo "date=$fk_u"
exit 0
)SH";

}  // namespace

std::string facts_script() { return kScript; }

}  // namespace fleetk8s::modules
