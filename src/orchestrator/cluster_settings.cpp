// Which hosts play which role, and the cluster's settings, checked before
// any host is contacted: a bad value must stop the run with a one-line
// message naming where it was set, not half-prepare the fleet.
#include "fleetk8s/orchestrator/cluster.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <regex>

#include "fleetk8s/yaml/node.h"

namespace fleetk8s::orchestrator {

namespace {

namespace fs = std::filesystem;

// The Kubernetes minors fleetk8s installs: pkgs.k8s.io serves 1.24 on, the
// playbooks write kubeadm's v1beta3 (before 1.31) or v1beta4 (1.31 on), and
// 1.35 is the newest minor they know (scripts/sandbox/catalog/kubernetes).
constexpr int kMinMinor = 24;
constexpr int kMaxMinor = 35;

// ---------------------------------------------------------------- roles

// The first of `names` that is a non-empty group, and its hosts.
std::pair<std::string, std::vector<std::string>> first_group(const inventory::Inventory& inv,
                                                             std::initializer_list<const char*> names) {
  for (const char* n : names) {
    auto hosts = inv.hosts_in(n);
    if (!hosts.empty()) return {n, hosts};
  }
  return {"", {}};
}

// True if `group` is `top` or below it.
bool within(const inventory::Inventory& inv, const std::string& top, const std::string& group) {
  if (top == group) return true;
  const inventory::Group* g = inv.find_group(top);
  if (!g) return false;
  return std::any_of(g->children.begin(), g->children.end(),
                     [&](const std::string& c) { return within(inv, c, group); });
}

// Where `host` was put in `group` (or in a group below it), "FILE:LINE".
std::string member_where(const inventory::Inventory& inv, const std::string& group, const std::string& host) {
  for (const auto& g : inv.group_names())
    if (within(inv, group, g))
      if (std::string at = inv.member_origin(g, host); !at.empty()) return at + (g == group ? "" : ", group " + g);
  return "the inventory";
}

// ---------------------------------------------------------------- addresses

// An IPv4 or IPv6 network (or a single address: prefix 32 or 128).
struct Net {
  int family = 0;  // AF_INET, AF_INET6
  std::array<std::uint8_t, 16> bytes{};
  int prefix = 0;
};

std::optional<Net> parse_ip(const std::string& text) {
  Net n;
  if (::inet_pton(AF_INET, text.c_str(), n.bytes.data()) == 1) {
    n.family = AF_INET;
    n.prefix = 32;
    return n;
  }
  if (::inet_pton(AF_INET6, text.c_str(), n.bytes.data()) == 1) {
    n.family = AF_INET6;
    n.prefix = 128;
    return n;
  }
  return std::nullopt;
}

int bits(const Net& n) { return n.family == AF_INET ? 32 : 128; }

bool bit(const Net& n, int i) { return (n.bytes[i / 8] >> (7 - i % 8)) & 1; }

// True if the two share an address.
bool overlap(const Net& a, const Net& b) {
  if (a.family != b.family) return false;
  for (int i = 0; i < std::min(a.prefix, b.prefix); ++i)
    if (bit(a, i) != bit(b, i)) return false;
  return true;
}

// "10.244.0.0/16" -> Net, or what is wrong with it.
Result<Net> parse_cidr(const std::string& text) {
  const auto slash = text.find('/');
  std::optional<Net> n = parse_ip(text.substr(0, slash));
  if (slash == std::string::npos || !n) return Error(ErrorKind::kInvalidInput, "");
  const std::string p = text.substr(slash + 1);
  const bool digits = std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (p.empty() || p.size() > 3 || !digits || std::stoi(p) > bits(*n)) return Error(ErrorKind::kInvalidInput, "");
  n->prefix = std::stoi(p);
  for (int i = n->prefix; i < bits(*n); ++i)
    if (bit(*n, i)) return Error(ErrorKind::kInvalidInput, "its host bits are not zero");
  return *n;
}

// ---------------------------------------------------------------- settings

// One setting as layered: its value and where that value was set.
struct Setting {
  const Value* value;
  std::string where;
};

std::string shown(const Value& v) {
  std::string s = v.to_json();
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s.size() > 70 ? s.substr(0, 67) + "..." : s;
}

Error bad(const std::string& name, const Setting& s, const std::string& expected) {
  return Error(ErrorKind::kInvalidInput, s.where + ": " + name + " is " + shown(*s.value) + ": expected " + expected);
}

const std::string* text_of(const Value& v) { return v.is_string() ? &v.as_string() : nullptr; }

Result<void> check_version(const std::string& name, const Setting& s) {
  const std::string expected = "a Kubernetes version from 1." + std::to_string(kMinMinor) + " to 1." +
                               std::to_string(kMaxMinor) + ", a minor (\"1.33\") or a release (\"1.33.5\")";
  if (s.value->is_number())
    return bad(name, s, expected + " in quotes: unquoted, 1.30 is the number 1.3 (" + name + "=\"1.30\")");
  static const std::regex form(R"(v?1\.(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2}))?)");
  std::smatch m;
  const std::string* v = text_of(*s.value);
  if (!v || !std::regex_match(*v, m, form)) return bad(name, s, expected);
  if ((*v)[0] == 'v') return bad(name, s, expected + ", without the leading v");
  const int minor = std::stoi(m[1].str());
  if (minor < kMinMinor || minor > kMaxMinor) return bad(name, s, expected);
  return {};
}

// Characters a URL handed to dnf, kubectl and a shell must not contain.
constexpr const char* kUnsafe = " \t\r\n\v\f'\"`$;&|<>(){}\\*?!#";

Result<void> check_url_text(const std::string& name, const Setting& s, const std::string& url, bool repo) {
  const std::string expected = repo ? "an http(s):// or file:/// URL of a package repository ending in / "
                                      "({minor} stands for the Kubernetes minor), without spaces or shell "
                                      "characters"
                                    : "an http(s):// URL without spaces or shell characters, or a file on this machine";
  static const std::regex http(R"(https?://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]+)?(/.*)?)");
  const bool is_file_url = repo && url.rfind("file:///", 0) == 0;
  if (!is_file_url && !std::regex_match(url, http)) return bad(name, s, expected);
  if (url.find_first_of(kUnsafe) != std::string::npos || std::any_of(url.begin(), url.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
      }))
    return bad(name, s, expected);
  if (repo && url.back() != '/')
    return bad(name, s, expected + " (the playbook appends repodata/repomd.xml.key)");
  return {};
}

Result<void> check_repo_url(const std::string& name, const Setting& s) {
  const std::string* v = text_of(*s.value);
  if (!v) return bad(name, s, "a URL");
  std::string url = *v;
  for (auto at = url.find("{minor}"); at != std::string::npos; at = url.find("{minor}")) url.replace(at, 7, "1.33");
  return check_url_text(name, s, url, true);
}

// Where etcd's releases are (restore fetches etcdutl there): vX.Y.Z/ and the
// file names are appended.
Result<void> check_release_url(const std::string& name, const Setting& s) {
  const std::string* v = text_of(*s.value);
  const std::string expected = "an http(s):// or file:/// URL of etcd's releases ending in / (vX.Y.Z/etcd-vX.Y.Z-"
                               "linux-ARCH.tar.gz and vX.Y.Z/SHA256SUMS are appended), without spaces or shell "
                               "characters";
  if (!v || v->empty() || v->back() != '/') return bad(name, s, expected);
  if (auto r = check_url_text(name, s, *v, true); !r) return bad(name, s, expected);
  return {};
}

// A URL, or a file on this machine. A file the playbook would not find
// (it looks beside itself and in files/) is made absolute.
Result<void> check_manifest(const std::string& name, const Setting& s, const std::string& playbook_dir,
                            Value& value) {
  const std::string* v = text_of(*s.value);
  if (!v || v->empty()) return bad(name, s, "an http(s):// URL, or a file on this machine");
  if (v->rfind("http://", 0) == 0 || v->rfind("https://", 0) == 0) return check_url_text(name, s, *v, false);
  std::error_code ec;
  const fs::path p(*v);
  if (p.is_relative())
    for (const auto& dir : {fs::path(playbook_dir) / "files", fs::path(playbook_dir)})
      if (fs::is_regular_file(dir / p, ec)) return {};
  if (!fs::is_regular_file(p, ec))
    return bad(name, s, "an http(s):// URL, or a file on this machine (no such file: " +
                            fs::absolute(p, ec).string() + ")");
  if (::access(p.c_str(), R_OK) != 0) return bad(name, s, "a file this user can read");
  if (p.is_relative()) value = Value(fs::absolute(p, ec).lexically_normal().string());
  return {};
}

// Ansible's spellings that its `bool` filter (and fleetk8s') reads as such.
Result<void> check_bool(const std::string& name, const Setting& s) {
  const Value& v = *s.value;
  if (v.is_bool() || (v.is_int() && (v.as_int() == 0 || v.as_int() == 1))) return {};
  if (const std::string* t = text_of(v)) {
    std::string l = *t;
    std::transform(l.begin(), l.end(), l.begin(), ::tolower);
    for (const char* ok : {"true", "false", "yes", "no", "on", "off", "1", "0"})
      if (l == ok) return {};
  }
  return bad(name, s, "a boolean: true or false (also yes/no, on/off, 1/0)");
}

Result<void> check_endpoint(const std::string& name, const Setting& s) {
  const std::string* v = text_of(*s.value);
  const std::string expected = "empty (the first control plane), or HOST or HOST:PORT without a scheme, as "
                               "\"lb.example.com:6443\" or \"[fd00::1]:6443\"";
  if (!v) return bad(name, s, expected);
  if (v->empty()) return {};
  // A DNS name (labels of letters, digits and inner '-') or [IPv6], then :PORT.
  static const std::regex name_port(R"(([A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)"
                                    R"((\.[A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(:([0-9]{1,5}))?)");
  std::smatch m;
  if (std::regex_match(*v, m, name_port)) {
    if (m[6].matched && (std::stoi(m[6].str()) < 1 || std::stoi(m[6].str()) > 65535))
      return bad(name, s, expected + " (a port from 1 to 65535)");
    const std::string host = m[1].str();
    if (host.front() == '[' && !parse_ip(host.substr(1, host.size() - 2))) return bad(name, s, expected);
    return {};
  }
  if (parse_ip(*v)) return {};  // a bare IPv6 address
  return bad(name, s, expected);
}

Result<void> check_cluster_name(const std::string& name, const Setting& s) {
  static const std::regex form(R"([A-Za-z0-9]([A-Za-z0-9_.\-]{0,61}[A-Za-z0-9])?)");
  const std::string* v = text_of(*s.value);
  if (!v || !std::regex_match(*v, form))
    return bad(name, s, "1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit "
                        "(it names the kubeconfig file <cluster_name>.kubeconfig)");
  return {};
}

// A string of YAML documents, each a kubeadm/kubelet configuration.
Result<void> check_kubeadm_config(const std::string& name, const Setting& s) {
  const std::string expected = "a string of YAML documents, each with apiVersion and kind (use a block scalar: " +
                               name + ": |)";
  const std::string* v = text_of(*s.value);
  if (s.value->is_null()) return {};
  if (!v) return bad(name, s, expected);
  std::vector<std::pair<int, std::string>> docs{{1, ""}};  // (first line, text)
  int line = 0;
  std::string::size_type start = 0;
  while (start <= v->size()) {
    const auto end = std::min(v->find('\n', start), v->size());
    const std::string l = v->substr(start, end - start);
    ++line;
    static const std::regex separator(R"((---|\.\.\.)(\s.*)?)");
    if (std::regex_match(l, separator)) docs.emplace_back(line + 1, "");
    else docs.back().second += l + "\n";
    start = end + 1;
  }
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const auto& [first, text] = docs[i];
    auto node = yaml::parse(text, "document " + std::to_string(i + 1));
    if (!node) return bad(name, s, expected + "; " + node.error().message());
    const Value doc = yaml::to_value(*node);
    if (doc.is_null()) continue;
    if (!doc.is_object() || !doc.as_object().count("apiVersion") || !doc.as_object().count("kind"))
      return bad(name, s, expected + "; document " + std::to_string(i + 1) + " (line " + std::to_string(first) +
                              ") has " + (doc.is_object() ? "no apiVersion or kind" : "no mapping"));
  }
  return {};
}

Result<Net> check_cidr(const std::string& name, const Setting& s, bool pods) {
  const std::string expected = std::string("an IPv4 or IPv6 network in CIDR form, as ") +
                               (pods ? "\"10.244.0.0/16\"" : "\"10.96.0.0/12\"");
  const std::string* v = text_of(*s.value);
  if (!v) return bad(name, s, expected);
  auto n = parse_cidr(*v);
  if (!n) return bad(name, s, expected + (n.error().message().empty() ? "" : " (" + n.error().message() + ")"));
  if (n->family == AF_INET && pods && n->prefix > 24)
    return bad(name, s, expected + " of /24 or larger (each node gets a /24 of it)");
  if (n->family == AF_INET && !pods && n->prefix < 12)
    return bad(name, s, expected + " of /12 or smaller (the API server's limit)");
  return *n;
}

// A node's own address as the playbooks pick it: node_ip, else ansible_host
// when it is an IP address. nullopt when only the host knows it.
struct NodeAddress {
  Net net;
  std::string text;   // "192.168.56.10"
  std::string where;  // "inv.ini:4: node_ip of w1"
};

std::optional<NodeAddress> node_address(const inventory::Inventory& inv, const std::string& host,
                                        const Value::Object& vars) {
  for (const char* key : {"node_ip", "ansible_host"}) {
    auto it = vars.find(key);
    if (it == vars.end() || !it->second.is_string() || it->second.as_string().empty()) continue;
    auto ip = parse_ip(it->second.as_string());
    if (!ip) return std::nullopt;
    const std::string where = inv.var_origin(host, key);
    return NodeAddress{*ip, it->second.as_string(),
                       (where.empty() ? "the inventory" : where) + ": " + key + " of " + host};
  }
  return std::nullopt;
}

// node_ip of each host: an address, each its own.
Result<void> check_nodes(const inventory::Inventory& inv, const ClusterRoles& roles, const Net& pods,
                         const Net& services, const std::map<std::string, std::string>& where,
                         const std::string& defaults_file) {
  std::vector<std::string> hosts = roles.control_planes;
  hosts.insert(hosts.end(), roles.workers.begin(), roles.workers.end());
  std::map<std::string, std::string> used;  // node_ip -> host
  for (const auto& host : hosts) {
    const Value::Object vars = inv.host_vars(host);
    if (auto it = vars.find("node_ip"); it != vars.end() && !it->second.is_null() &&
                                        !(it->second.is_string() && it->second.as_string().empty())) {
      const Setting s{&it->second, inv.var_origin(host, "node_ip")};
      if (!it->second.is_string() || !parse_ip(it->second.as_string()))
        return bad("node_ip of " + host, s, "an IPv4 or IPv6 address, as \"192.168.56.10\"");
      if (auto [other, fresh] = used.emplace(it->second.as_string(), host); !fresh)
        return bad("node_ip of " + host, s, "an address of its own (" + other->second + " has it too)");
    }
    auto addr = node_address(inv, host, vars);
    if (!addr) continue;
    for (const auto& [net, name] : {std::pair(&pods, "pod_network_cidr"), std::pair(&services, "service_cidr")}) {
      if (!overlap(addr->net, *net)) continue;
      // Blame the one the admin set: a default is rarely the mistake.
      if (where.at(name).rfind(defaults_file, 0) == 0)
        return Error(ErrorKind::kInvalidInput, addr->where + " is " + addr->text + ", inside " + name + " (" +
                                                   where.at(name) + "): expected an address outside the cluster's "
                                                   "pod and service networks");
      return Error(ErrorKind::kInvalidInput, where.at(name) + ": " + name + " contains the node address " +
                                                 addr->text + " (" + addr->where + "): expected a network apart "
                                                 "from the nodes' addresses");
    }
  }
  return {};
}

// A setting that is a whole number from lo to hi (an int, or its digits as text).
std::function<Result<void>(const std::string&, const Setting&)> whole_number_in(long lo, long hi, std::string expected) {
  return [lo, hi, expected = std::move(expected)](const std::string& name, const Setting& s) -> Result<void> {
    const std::optional<long> n = whole_number(*s.value);
    if (n && *n >= lo && *n <= hi) return {};
    return bad(name, s, expected);
  };
}

// Every setting checked, in the order of defaults.yml's comments.
Result<void> check_settings(Value::Object& settings, const std::map<std::string, std::string>& where,
                            const Value::Object& defaults, const std::string& defaults_file,
                            const std::string& playbook_dir,
                            const inventory::Inventory& inv, const ClusterRoles& roles) {
  auto setting = [&](const std::string& name) {
    auto at = where.find(name);
    return Setting{&settings[name], at != where.end() ? at->second : "the settings"};
  };
  using Check = std::function<Result<void>(const std::string&, const Setting&)>;
  const std::map<std::string, Check> checks = {
      {"kubernetes_version", check_version},
      {"kubernetes_repo_url", check_repo_url},
      {"crio_repo_url", check_repo_url},
      {"etcd_release_url", check_release_url},
      {"control_plane_endpoint", check_endpoint},
      {"cluster_name", check_cluster_name},
      {"kubeadm_extra_config", check_kubeadm_config},
      {"cert_renew_days", whole_number_in(1, 3650, "a number of days from 1 to 3650 (a certificate expiring sooner is drift)")},
      {"join_parallel", whole_number_in(1, 1000, "a number of nodes from 1 to 1000 (kubeadm joins at the same time)")},
      {"firewall_mode", [](const std::string& name, const Setting& s) -> Result<void> {
         const std::string* v = text_of(*s.value);
         if (v && (*v == "disabled" || *v == "trusted")) return {};
         return bad(name, s, "\"disabled\" (firewalld stopped) or \"trusted\" (its default zone trusts all)");
       }},
  };
  for (const auto& [name, check] : checks)
    if (settings.count(name))
      if (auto r = check(name, setting(name)); !r) return r.error();
  for (const auto& [name, value] : defaults)  // os_update and any other switch
    if (value.is_bool())
      if (auto r = check_bool(name, setting(name)); !r) return r.error();
  if (settings.count("cni_manifest"))
    if (auto r = check_manifest("cni_manifest", setting("cni_manifest"), playbook_dir, settings["cni_manifest"]); !r)
      return r.error();
  if (settings.count("node_ip"))
    return bad("node_ip", setting("node_ip"),
               "node_ip only per host, on its inventory line (cp1 node_ip=192.168.56.10): one value for every "
               "host would give them all the same address");
  if (!settings.count("pod_network_cidr") || !settings.count("service_cidr")) return {};  // another playbook dir's
  auto pods = check_cidr("pod_network_cidr", setting("pod_network_cidr"), true);
  if (!pods) return pods.error();
  auto services = check_cidr("service_cidr", setting("service_cidr"), false);
  if (!services) return services.error();
  if (overlap(*pods, *services)) {
    // Blame the one the admin set: a default is rarely the mistake.
    const bool service_is_default = where.at("service_cidr").rfind(defaults_file, 0) == 0;
    const std::string blamed = service_is_default ? "pod_network_cidr" : "service_cidr";
    const std::string other = service_is_default ? "service_cidr" : "pod_network_cidr";
    return bad(blamed, setting(blamed),
               "a network apart from " + other + " " + shown(settings[other]) + " (" + where.at(other) + ")");
  }
  return check_nodes(inv, roles, *pods, *services, where, defaults_file);
}

// The run hands the first control plane's settings to every host as extra
// vars, so a host whose inventory sets another value would be overruled
// without a word: an error, unless -e sets that setting for all anyway.
Result<void> check_one_value(const inventory::Inventory& inv, const ClusterRoles& roles,
                             const Value::Object& defaults, const Value::Object& extra_vars,
                             const std::map<std::string, std::string>& where) {
  const std::string& cp = roles.control_planes.front();
  const Value::Object cp_vars = inv.host_vars(cp);
  std::vector<std::string> others(roles.control_planes.begin() + 1, roles.control_planes.end());
  others.insert(others.end(), roles.workers.begin(), roles.workers.end());
  for (const auto& host : others) {
    const Value::Object vars = inv.host_vars(host);
    for (const auto& [key, fallback] : defaults) {
      if (extra_vars.count(key)) continue;
      auto mine = vars.find(key), theirs = cp_vars.find(key);
      const Value& cluster = theirs != cp_vars.end() ? theirs->second : fallback;
      // Set for the control planes only ([control_plane:vars]) is fine: it is the cluster's.
      if (mine == vars.end() || mine->second == cluster) continue;
      const std::string at = inv.var_origin(host, key);
      return Error(ErrorKind::kInvalidInput,
                   (at.empty() ? "the inventory" : at) + ": " + key + " of " + host + " is " +
                       shown(mine->second) + ", of " + cp + " " + shown(cluster) +
                       " (" + where.at(key) + "): expected one value for the whole cluster (set it under "
                       "[all:vars], or with -e)");
    }
  }
  return {};
}

// Levenshtein distance, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// An -e name one or two typos away from a setting would leave the setting
// at its default without a word. Other names are the playbooks' business.
Result<void> check_names(const Value::Object& extra_vars, const Value::Object& defaults,
                         const std::map<std::string, std::string>& where) {
  for (const auto& [name, value] : extra_vars) {
    if (defaults.count(name) || name == "node_ip" || name.size() < 6) continue;
    for (const auto& [setting, unused] : defaults)
      if (distance(name, setting) <= 2)
        return Error(ErrorKind::kInvalidInput, where.at(name) + ": " + name + " is no cluster setting: expected " +
                                                   setting + " (a name of defaults.yml)?");
  }
  return {};
}

}  // namespace

Result<ClusterRoles> cluster_roles(inventory::Inventory& inv) {
  ClusterRoles roles;
  auto [cp_group, cps] = first_group(inv, {"control_plane", "kube_control_plane", "masters"});
  if (cps.empty())
    return Error(ErrorKind::kInvalidInput,
                 "the inventory has no control plane: put hosts in the group control_plane "
                 "(or kube_control_plane, or masters)");
  auto [worker_group, workers] = first_group(inv, {"workers", "kube_node", "nodes"});
  // fleetk8s_state: present (the default) or absent (left out of the cluster).
  auto absent = [&](const std::string& host) -> Result<bool> {
    const Value::Object vars = inv.host_vars(host);
    const auto it = vars.find("fleetk8s_state");
    if (it == vars.end()) return false;
    const std::string v = it->second.to_display();
    if (v == "present" || v == "absent") return v == "absent";
    const std::string at = inv.var_origin(host, "fleetk8s_state");
    return Error(ErrorKind::kInvalidInput, (at.empty() ? "" : at + ": ") + host + ": fleetk8s_state is \"" + v +
                                               "\": expected present or absent");
  };
  for (const auto& h : cps) {
    auto a = absent(h);
    if (!a) return a.error();
    (*a ? roles.absent : roles.control_planes).push_back(h);
  }
  if (roles.control_planes.empty())
    return Error(ErrorKind::kInvalidInput, "every control plane of the inventory is marked fleetk8s_state=absent: "
                                           "expected at least one present");
  for (const auto& w : workers) {
    if (std::find(cps.begin(), cps.end(), w) == cps.end()) {
      auto a = absent(w);
      if (!a) return a.error();
      (*a ? roles.absent : roles.workers).push_back(w);
    } else if (worker_group != "kube_node") {  // kubespray lists control planes in kube_node too
      return Error(ErrorKind::kInvalidInput,
                   w + " is in both " + cp_group + " (" + member_where(inv, cp_group, w) + ") and " + worker_group +
                       " (" + member_where(inv, worker_group, w) +
                       "): expected each host in one of them (a control plane is not also a worker)");
    }
  }
  // The playbooks speak of control_plane and workers.
  if (cp_group != "control_plane") {
    inv.add_group("control_plane");
    for (const auto& h : roles.control_planes) inv.add_host(h, "control_plane");
  }
  if (worker_group != "workers" && !roles.workers.empty()) {
    inv.add_group("workers");
    for (const auto& h : roles.workers) inv.add_host(h, "workers");
  }
  inv.finish();
  return roles;
}

Result<Value::Object> cluster_settings(const std::string& playbook_dir, const inventory::Inventory& inv,
                                       const ClusterRoles& roles, const Value::Object& extra_vars,
                                       const std::map<std::string, std::string>& extra_origins) {
  const std::string path = playbook_dir + "/vars/defaults.yml";
  auto node = yaml::load_file(path);
  if (!node) return node.error();
  Value defaults = yaml::to_value(*node);
  if (!defaults.is_object()) return Error(ErrorKind::kInvalidInput, path + ": expected a mapping of settings");
  Value::Object settings = defaults.as_object();
  std::map<std::string, std::string> where;
  for (const auto& [key, value] : settings) {
    const yaml::Node* at = node->get(key);
    where[key] = path + (at ? ":" + std::to_string(at->mark().line) : "");
  }
  const std::string& cp = roles.control_planes.front();
  const Value::Object host = inv.host_vars(cp);
  for (auto& [key, value] : settings)
    if (auto it = host.find(key); it != host.end()) {
      value = it->second;
      const std::string at = inv.var_origin(cp, key);
      where[key] = at.empty() ? "the inventory (" + key + " of " + cp + ")" : at;
    }
  for (const auto& [key, value] : extra_vars) {
    settings[key] = value;
    auto it = extra_origins.find(key);
    where[key] = it != extra_origins.end() ? it->second : "-e";
  }
  if (auto ok = check_names(extra_vars, defaults.as_object(), where); !ok) return ok.error();
  for (const char* derived : {"api_endpoint", "node_local_api", "api_servers"})
    if (extra_vars.count(derived))
      return Error(ErrorKind::kInvalidInput, where[derived] + ": " + derived +
                                                 ": fleetk8s works it out from control_plane_endpoint and the control "
                                                 "planes; expected control_plane_endpoint instead");
  if (auto ok = check_settings(settings, where, defaults.as_object(), path, playbook_dir, inv, roles); !ok)
    return ok.error();
  if (auto ok = check_one_value(inv, roles, defaults.as_object(), extra_vars, where); !ok) return ok.error();
  const ApiEndpoint api = api_endpoint(settings, roles);
  settings["api_endpoint"] = Value(api.address);
  settings["node_local_api"] = Value(api.node_local);
  // (also for one control plane: a cluster created with several keeps its
  // node-local endpoint when control planes are removed: see connect)
  auto servers = api_servers(inv, roles);
  if (!servers) return servers.error();
  settings["api_servers"] = Value(std::move(*servers));
  return settings;
}

// The API servers a node-local endpoint forwards to: every control plane
// (not those marked absent) at node_ip, else ansible_host, else its
// inventory name; a name must be a DNS name (it becomes a word of
// haproxy.cfg: nothing else may ride along).
Result<Value::Array> api_servers(const inventory::Inventory& inv, const ClusterRoles& roles) {
  static const std::regex dns_name("^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?$");
  static const std::regex server_name("^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$");
  Value::Array out;
  for (const auto& cp : roles.control_planes) {
    if (!std::regex_match(cp, server_name))
      return Error(ErrorKind::kInvalidInput, "the inventory: the control plane \"" + cp +
                                                 "\": expected a host name of letters, digits, '.', '_', ':' and '-' "
                                                 "(it names its server in the node-local API endpoint)");
    const Value::Object vars = inv.host_vars(cp);
    std::string address;
    if (auto ip = node_address(inv, cp, vars)) {
      address = ip->text;
    } else {
      auto it = vars.find("ansible_host");
      const bool named = it != vars.end() && it->second.is_string() && !it->second.as_string().empty();
      address = named ? it->second.as_string() : cp;
      if (address.size() > 253 || !std::regex_match(address, dns_name)) {
        const std::string at = named ? inv.var_origin(cp, "ansible_host") : "";
        return Error(ErrorKind::kInvalidInput,
                     (at.empty() ? "the inventory" : at) + ": " + (named ? "ansible_host of " + cp : "the host name " + cp) +
                         " is \"" + address + "\": expected an IP address or a DNS name for the node-local API "
                         "endpoint (or set node_ip, or control_plane_endpoint)");
      }
    }
    Value::Object server;
    server["name"] = Value(cp);
    server["address"] = Value(address);
    out.emplace_back(std::move(server));
  }
  return out;
}

ApiEndpoint api_endpoint(const Value::Object& settings, const ClusterRoles& roles) {
  auto given = settings.find("control_plane_endpoint");
  if (given != settings.end() && !given->second.to_display().empty()) return {given->second.to_display(), false};
  if (roles.control_planes.size() > 1) return {kNodeLocalApi, true};
  return {"", false};
}

}  // namespace fleetk8s::orchestrator
