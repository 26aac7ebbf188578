#include "fleetk8s/cluster/fingerprint.h"

#include <cstdint>
#include <cstdio>


namespace fleetk8s::cluster {

// Keep in step with what playbooks/preflight.yml, prepare.yml and the
// check's phases read (fingerprint.h). `find -H`: /var/lib/rpm may be a
// symlink (to /usr/lib/sysimage/rpm); a missing path is one stable line.
// The kernel's files are read by the shell itself (no process each). lsmod:
// the names only (the use counts move with every overlay mount).
std::string_view fingerprint_script() {
  return R"sh(LC_ALL=C; export LC_ALL
find -H /etc/fstab /etc/hosts /etc/hostname /etc/resolv.conf /etc/os-release /etc/modules-load.d /etc/modprobe.d \
  /etc/sysctl.conf /etc/sysctl.d /etc/yum.repos.d /etc/dnf /etc/crio /etc/containers /etc/cni /etc/selinux/config \
  /etc/kubernetes /etc/systemd/system /etc/firewalld /etc/haproxy /etc/sysconfig/kubelet /var/lib/rpm \
  /var/lib/kubelet/config.yaml /var/lib/kubelet/kubeadm-flags.env /var/lib/kubelet/pki \
  /usr/bin/kubelet /usr/bin/kubeadm /usr/bin/kubectl /usr/bin/crio /usr/bin/conmon -printf '%C@ %s %p\n' 2>&1
systemctl show -p Id -p ActiveState -p UnitFileState crio.service kubelet.service firewalld.service haproxy.service 2>&1
for f in /proc/swaps /proc/sys/kernel/hostname /proc/sys/net/bridge/bridge-nf-call-iptables \
  /proc/sys/net/bridge/bridge-nf-call-ip6tables /proc/sys/net/ipv4/ip_forward; do
  if [ -r "$f" ]; then
    while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' "$l"; done <"$f"
  else
    printf 'unreadable %s\n' "$f"
  fi
done
lsmod 2>&1 | while read -r name rest; do printf '%s\n' "$name"; done
getenforce 2>&1
exit 0
)sh";
}

std::string fingerprint_of(std::string_view probe_output) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a, 64 bits
  for (unsigned char ch : probe_output) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string(hex, 16) + ":" + std::to_string(probe_output.size());
}

std::vector<std::string> hosts_to_check(const std::vector<std::string>& hosts,
                                        const std::map<std::string, std::optional<std::string>>& probed,
                                        const std::map<std::string, Baseline>& baselines,
                                        std::chrono::steady_clock::time_point now,
                                        std::chrono::milliseconds full_every) {
  std::vector<std::string> out;
  for (const auto& h : hosts) {
    auto p = probed.find(h);
    auto b = baselines.find(h);
    const bool unchanged = p != probed.end() && p->second && b != baselines.end() &&
                           b->second.fingerprint == *p->second && now - b->second.taken < full_every;
    if (!unchanged) out.push_back(h);
  }
  return out;
}

std::set<std::string> hosts_with_findings(const std::vector<std::string>& checked,
                                          const std::vector<std::pair<std::string, std::string>>& changes,
                                          const std::map<std::string, std::string>& failed,
                                          const std::vector<std::string>& problems) {
  std::set<std::string> out;
  for (const auto& host : checked) {
    bool found = failed.count(host) > 0;
    for (const auto& [h, task] : changes) found = found || h == host;
    for (const auto& p : problems) found = found || p.rfind(host + ": ", 0) == 0;
    if (found) out.insert(host);
  }
  return out;
}

}  // namespace fleetk8s::cluster
