// The preflight catalog and the checks across hosts (see preflight.h).
#include "fleetk8s/orchestrator/preflight.h"

#include <map>

namespace fleetk8s::orchestrator {

const std::vector<PreflightCheck>& preflight_checks() {
  using enum Severity;
  static const std::vector<PreflightCheck> kChecks = {
      {"os", "", kError, "RHEL family 8 or 9 (Rocky, Alma, RHEL, CentOS Stream, Oracle)"},
      {"cpus", "NumCPU", kError, "a control plane has at least 2 CPUs"},
      {"memory", "Mem", kError,
       "at least 1700 MB of memory (MemTotal) on a control plane, as kubeadm asks; workers too (kubeadm's "
       "documentation asks 2 GB per machine)"},
      {"memory-recommended", "", kWarning, "a control plane has 4 GiB of memory"},
      {"var-space", "", kError, "15 GB free under /var (images and logs)"},
      {"hostname", "Hostname", kWarning, "the host name resolves (/etc/hosts or DNS)"},
      {"cgroup-v1", "SystemVerification", kError,
       "Kubernetes 1.35 and later: the host runs cgroup v2 (the kubelet refuses cgroup v1, KEP-5573; RHEL 8 boots "
       "v1 unless told systemd.unified_cgroup_hierarchy=1)"},
      {"node-ip", "", kError, "a host's node_ip is an address of one of its interfaces"},
      {"node-name", "", kError, "every host name is unique in the cluster (it is the node name)"},
      {"mac", "", kError,
       "the MAC address of the interface carrying the node's address (node_ip's, else the default route's) is "
       "unique"},
      {"product-uuid", "", kError,
       "/sys/class/dmi/id/product_uuid is unique (hosts without one readable are not compared)"},
  };
  return kChecks;
}

const PreflightCheck* find_preflight_check(std::string_view id) {
  for (const auto& c : preflight_checks())
    if (c.id == id) return &c;
  return nullptr;
}

namespace {

const Value* fact(const Value::Object& gathered, const std::string& name) {
  auto it = gathered.find(name);
  return it == gathered.end() ? nullptr : &it->second;
}

std::string text_of(const Value* v) { return !v ? "" : v->is_string() ? v->as_string() : v->to_display(); }

std::string field(const Value* dict, const char* key) { return dict ? text_of(dict->find(key)) : ""; }

// Whether `dev` (an ansible_<iface> dict) holds `address`, as primary or secondary.
bool holds(const Value& dev, const std::string& address) {
  if (field(dev.find("ipv4"), "address") == address) return true;
  const Value* more = dev.find("ipv4_secondaries");
  if (more && more->is_array())
    for (const auto& a : more->as_array())
      if (field(&a, "address") == address) return true;
  return false;
}

}  // namespace

Result<NodeInterface> node_interface(const Value::Object& gathered, const std::string& node_ip) {
  if (node_ip.empty()) {
    const Value* def = fact(gathered, "ansible_default_ipv4");
    return NodeInterface{field(def, "interface"), field(def, "macaddress")};
  }
  const Value* names = fact(gathered, "ansible_interfaces");
  std::string seen;
  if (names && names->is_array()) {
    for (const auto& n : names->as_array()) {
      const Value* dev = fact(gathered, "ansible_" + text_of(&n));
      if (!dev || !dev->is_object()) continue;
      if (holds(*dev, node_ip)) return NodeInterface{field(dev, "device"), field(dev, "macaddress")};
      if (const std::string a = field(dev->find("ipv4"), "address"); !a.empty())
        seen += (seen.empty() ? "" : ", ") + field(dev, "device") + " " + a;
    }
  }
  return Error(ErrorKind::kInvalidInput,
               "node_ip " + node_ip + " is on no interface of this host (" + (seen.empty() ? "none has an IPv4 address" : seen) + ")");
}

std::vector<PreflightFinding> preflight_findings(const std::vector<PreflightHost>& hosts) {
  std::vector<PreflightFinding> out;
  // check id -> (the value that must be unique -> the hosts having it), in check order
  std::map<std::string, std::map<std::string, std::vector<std::string>>> shared;
  std::map<std::string, std::string> what;  // check id -> what the key is, for the message
  for (const auto& h : hosts) {
    const Value::Object none;
    const Value::Object& vars = h.vars ? *h.vars : none;
    if (auto it = vars.find("preflight_findings"); it != vars.end() && it->second.is_array()) {
      for (const auto& f : it->second.as_array())
        out.push_back({field(&f, "check"), h.name, field(&f, "message")});
    }
    if (!h.gathered) continue;
    const Value::Object& g = *h.gathered;
    if (const std::string name = text_of(fact(g, "ansible_nodename")); !name.empty()) shared["node-name"][name].push_back(h.name);
    auto ip = vars.find("preflight_node_ip");
    auto iface = node_interface(g, ip == vars.end() ? "" : text_of(&ip->second));
    if (!iface) {
      out.push_back({"node-ip", h.name, iface.error().message()});
    } else if (!iface->macaddress.empty()) {
      shared["mac"][iface->macaddress + " (" + iface->device + ")"].push_back(h.name);
    }
    const std::string uuid = text_of(fact(g, "ansible_product_uuid"));
    if (!uuid.empty() && uuid != "NA") shared["product-uuid"][uuid].push_back(h.name);
  }
  const std::map<std::string, std::string> nouns = {
      {"node-name", "host name"}, {"mac", "MAC address of the node interface"}, {"product-uuid", "product_uuid"}};
  for (const char* check : {"node-name", "mac", "product-uuid"}) {
    for (const auto& [key, names] : shared[check]) {
      if (names.size() < 2) continue;
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      out.push_back({check, list, "same " + nouns.at(check) + " " + key + " (must be unique in a cluster)"});
    }
  }
  return out;
}

PreflightSummary summarize(const std::vector<PreflightFinding>& findings) {
  PreflightSummary s;
  std::vector<std::string> warnings;
  for (const auto& f : findings) {
    const PreflightCheck* c = find_preflight_check(f.check);
    const bool error = !c || c->severity == Severity::kError;
    const std::string name(c && !c->kubeadm.empty() ? c->kubeadm : std::string_view(f.check));
    std::string line = std::string(error ? "[ERROR " : "[WARNING ") + name + "] " + f.where + ": " + f.message;
    if (error) {
      ++s.errors;
      s.lines.push_back(std::move(line));
    } else {
      ++s.warnings;
      warnings.push_back(std::move(line));
    }
  }
  s.lines.insert(s.lines.end(), warnings.begin(), warnings.end());
  return s;
}

}  // namespace fleetk8s::orchestrator
