// parse_facts: the script's raw lines -> Ansible's `ansible_facts` dict.
// This file holds the platform, distribution and system facts; CPU, memory
// and network are in facts_hardware.cpp. Each rule follows the Ansible 2.14
// collector it names, quirks included, so playbooks see the same values.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>

#include "facts_lib.h"
#include "fleetk8s/core/strings.h"
#include "fleetk8s/modules/facts.h"

namespace fleetk8s::modules {

const std::string* RawFacts::first(const std::string& key) const {
  auto it = lines_.find(key);
  return it == lines_.end() || it->second.empty() ? nullptr : &it->second.front();
}

const std::vector<std::string>& RawFacts::all(const std::string& key) const {
  static const std::vector<std::string> kNone;
  auto it = lines_.find(key);
  return it == lines_.end() ? kNone : it->second;
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (true) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i == s.size()) return words;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    words.push_back(s.substr(i, j - i));
    i = j;
  }
}

namespace {

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

}  // namespace

// platform collector: uname, socket.getfqdn(), machine-id.
void add_platform_facts(const RawFacts& raw, Value::Object& f) {
  if (const std::string* u = raw.first("uname")) {  // uname -snrvm: -v has spaces, the others none
    const size_t a = u->find(' '), b = u->find(' ', a + 1), c = u->find(' ', b + 1), z = u->rfind(' ');
    if (a != std::string::npos && b != std::string::npos && c != std::string::npos && z > c) {
      const std::string node = u->substr(a + 1, b - a - 1), machine = u->substr(z + 1);
      f["system"] = u->substr(0, a);
      f["nodename"] = node;
      f["hostname"] = node.substr(0, node.find('.'));
      f["kernel"] = u->substr(b + 1, c - b - 1);
      f["kernel_version"] = u->substr(c + 1, z - c - 1);
      f["machine"] = machine;
      f["architecture"] = machine;
    }
  }
  // getfqdn: the first of the address's names with a dot, else its canonical
  // name; the host name itself when resolution fails.
  std::string fqdn;
  if (const std::string* names = raw.first("fqdn_names")) {
    auto w = split_words(*names);  // ADDRESS CANONICAL ALIAS...
    if (w.size() >= 2) {
      fqdn = w[1];
      for (size_t i = 1; i < w.size(); ++i) {
        if (w[i].find('.') != std::string::npos) {
          fqdn = w[i];
          break;
        }
      }
    }
  }
  if (fqdn.empty() && raw.has("getent") && f.count("nodename")) fqdn = f["nodename"].as_string();
  if (!fqdn.empty()) {
    f["fqdn"] = fqdn;
    const size_t dot = fqdn.find('.');
    f["domain"] = dot == std::string::npos ? "" : fqdn.substr(dot + 1);
  }
  if (const std::string* id = raw.first("machine_id")) f["machine_id"] = trim(*id);
  // Ansible's dmi collector: "NA" when the file is there but unreadable (not root).
  if (const std::string* uuid = raw.first("product_uuid")) f["product_uuid"] = trim(*uuid);
  else if (raw.has("dmi_product_uuid_file")) f["product_uuid"] = "NA";
}

namespace {

// One value of an os-release line, unquoted as a shell would.
std::string unquote(std::string v) {
  v = trim(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    const char q = v.front();
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      if (q == '"' && v[i] == '\\' && i + 2 < v.size()) ++i;
      out += v[i];
    }
    return out;
  }
  return v;
}

// Python's str.strip(chars).
std::string strip(const std::string& s, const char* chars) {
  const size_t b = s.find_first_not_of(chars);
  return b == std::string::npos ? "" : s.substr(b, s.find_last_not_of(chars) - b + 1);
}

// Python's str.capitalize().
std::string capitalize(std::string s) {
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>(i ? std::tolower(s[i]) : std::toupper(s[i]));
  return s;
}

// A host's file as far as std::regex may read it: libstdc++'s matcher
// recurses once per character and overflows the stack on ~50 KB, and these
// files come from hosts. Real release files are well under 4 KiB.
std::string bounded(const std::string& text) { return text.substr(0, 4096); }

// The dotted version at the start of `text` after "release " (release files)
// or at its very start (debian_version).
std::string file_version(const std::string& text) {
  std::smatch m;
  static const std::regex re(R"((?:^|release )(\d+(?:\.\d+)*))");
  const std::string head = bounded(text);
  return std::regex_search(head, m, re) ? m[1].str() : "";
}

size_t dots(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '.')); }

const std::map<std::string, std::string>& os_families() {
  static const std::map<std::string, std::string> m = [] {
    std::map<std::string, std::string> out;
    const std::map<std::string, std::vector<const char*>> by_family = {
        {"RedHat", {"RedHat", "RHEL", "Fedora", "CentOS", "Scientific", "SLC", "Ascendos", "CloudLinux", "PSBM",
                    "OracleLinux", "OVS", "OEL", "Amazon", "Virtuozzo", "XenServer", "Alibaba", "EulerOS", "openEuler",
                    "AlmaLinux", "Rocky", "TencentOS", "EuroLinux", "Kylin Linux Advanced Server"}},
        {"Debian", {"Debian", "Ubuntu", "Raspbian", "Neon", "KDE neon", "Linux Mint", "SteamOS", "Devuan", "Kali",
                    "Cumulus Linux", "Pop!_OS", "Parrot", "Pardus GNU/Linux", "Uos", "Deepin", "OSMC"}},
        {"Suse", {"SuSE", "SLES", "SLED", "openSUSE", "openSUSE Tumbleweed", "SLES_SAP", "SUSE_LINUX", "openSUSE Leap"}},
        {"Archlinux", {"Archlinux", "Antergos", "Manjaro"}},
        {"Gentoo", {"Gentoo", "Funtoo"}},
        {"Alpine", {"Alpine"}},
        {"ClearLinux", {"Clear Linux OS", "Clear Linux Mix"}},
    };
    for (const auto& [family, names] : by_family)
      for (const char* n : names) out[n] = family;
    return out;
  }();
  return m;
}

}  // namespace

// distribution collector: distro's guess from os-release, then the first
// release file that settles the name (oracle, centos, redhat, os-release).
void add_distribution_facts(const RawFacts& raw, Value::Object& f) {
  std::map<std::string, std::string> osr;
  std::string osr_text;
  for (const std::string& line : raw.all("os_release")) {
    osr_text += line + "\n";
    const size_t eq = line.find('=');
    if (eq != std::string::npos && line[0] != '#') osr[trim(line.substr(0, eq))] = unquote(line.substr(eq + 1));
  }
  const std::string* redhat = raw.first("redhat_release");
  const std::string* centos = raw.first("centos_release");
  const std::string* oracle = raw.first("oracle_release");
  if (osr_text.empty() && !redhat && !centos && !oracle) return;  // nothing to tell

  const std::string id = osr["ID"];
  std::string dist = id == "amzn" ? "Amazon" : id == "rhel" ? "Redhat" : capitalize(id);
  if (dist.empty()) dist = "OtherLinux";
  std::string version = osr["VERSION_ID"];
  if (id == "centos" || id == "debian") {  // distro's "best" version: the most precise one
    const std::string* file = id == "centos" ? centos : raw.first("debian_version");
    const std::string better = file ? file_version(*file) : "";
    if (dots(better) > dots(version)) version = better;
    if (id == "centos") version = version.substr(0, version.find('.', version.find('.') + 1));
  }
  if (version.empty()) version = "NA";
  std::string release = "NA";
  if (osr.count("VERSION_CODENAME")) {
    release = osr["VERSION_CODENAME"];
  } else if (osr.count("UBUNTU_CODENAME")) {
    release = osr["UBUNTU_CODENAME"];
  } else if (osr.count("VERSION")) {  // "8.9 (Green Obsidian)" or "16.04 LTS, Xenial Xerus"
    std::smatch m;
    static const std::regex re(R"((\(\D+\))|,(\s+)?\D+)");
    const std::string version = bounded(osr["VERSION"]);
    if (std::regex_search(version, m, re)) {
      const std::string c = trim(strip(strip(m.str(), "()"), ","));
      if (!c.empty()) release = c;
    }
  }

  if (oracle) {
    dist = contains(*oracle, "Oracle Linux") ? "OracleLinux" : split_words(*oracle).at(0);
  } else if (centos && contains(*centos, "CentOS Stream")) {
    dist = "CentOS";
    release = "Stream";
  } else if (redhat) {
    dist = contains(*redhat, "Red Hat") ? "RedHat" : split_words(*redhat).at(0);
  } else if (contains(osr_text, "Debian") || contains(osr_text, "Raspbian")) {
    dist = "Debian";
    std::smatch m;
    static const std::regex re(R"(PRETTY_NAME=[^(]+ \(?([^)]+?)\))");
    const std::string head = bounded(osr_text);
    if (std::regex_search(head, m, re)) release = m[1].str();
  } else if (contains(osr_text, "Ubuntu")) {
    dist = "Ubuntu";
  } else {
    // Without a release file Ansible would take NAME ("Rocky Linux"); a real
    // host of these always has one, so name it as that host would be named.
    static const std::map<std::string, std::string> by_id = {
        {"rocky", "Rocky"}, {"almalinux", "AlmaLinux"}, {"centos", "CentOS"}, {"rhel", "RedHat"},
        {"ol", "OracleLinux"}, {"fedora", "Fedora"}, {"amzn", "Amazon"}};
    auto it = by_id.find(id);
    dist = it != by_id.end() ? it->second : osr.count("NAME") ? osr["NAME"] : dist;
  }
  f["distribution"] = dist;
  f["distribution_version"] = version;
  const std::string major = version.substr(0, version.find('.'));
  f["distribution_major_version"] = major.empty() ? "NA" : major;
  f["distribution_release"] = release;
  auto fam = os_families().find(dist);
  f["os_family"] = fam != os_families().end() ? fam->second : dist;
}

namespace {

// service_mgr collector (Linux branch).
void add_service_mgr(const RawFacts& raw, Value::Object& f) {
  std::string proc1;
  bool known = false;
  if (const std::string* p = raw.first("proc1")) {
    proc1 = *p;
    known = true;
  } else if (const std::string* link = raw.first("sbin_init")) {
    proc1 = *link;
    known = true;
  }
  if (known) {
    proc1 = trim(proc1.substr(proc1.rfind('/') == std::string::npos ? 0 : proc1.rfind('/') + 1));
    if (proc1 == "init" || (proc1.size() >= 2 && proc1.compare(proc1.size() - 2, 2, "sh") == 0)) known = false;
  }
  std::string mgr;
  if (known) {
    static const std::map<std::string, std::string> names = {
        {"procd", "openwrt_init"}, {"runit-init", "runit"}, {"svscan", "svc"}, {"openrc-init", "openrc"}};
    auto it = names.find(proc1);
    mgr = it != names.end() ? it->second : proc1;
  } else if (f.count("system") && f["system"].as_string() == "Linux") {
    const std::string* init = raw.first("sbin_init");
    const bool offline_systemd = raw.has("systemctl") && init && init->size() >= 7 &&
                                 init->compare(init->size() - 7, 7, "systemd") == 0 &&
                                 (init->size() == 7 || (*init)[init->size() - 8] == '/');
    if (raw.has("systemd_booted")) mgr = "systemd";
    else if (raw.has("upstart")) mgr = "upstart";
    else if (raw.has("openrc")) mgr = "openrc";
    else if (offline_systemd) mgr = "systemd";
    else if (raw.has("sysvinit")) mgr = "sysvinit";
  }
  if (!raw.has("proc1") && !raw.has("systemctl") && !raw.has("sysvinit") && mgr.empty()) return;  // nothing seen
  f["service_mgr"] = mgr.empty() ? "service" : mgr;
}

// pkg_mgr collector: the last package manager found, then the family's default.
void add_pkg_mgr(const RawFacts& raw, Value::Object& f) {
  static const std::map<std::string, std::string> by_path = {
      {"/usr/bin/rpm-ostree", "atomic_container"}, {"/usr/bin/yum", "yum"}, {"/usr/bin/dnf", "dnf"},
      {"/usr/bin/apt-get", "apt"}, {"/usr/bin/zypper", "zypper"}, {"/usr/sbin/urpmi", "urpmi"},
      {"/usr/bin/pacman", "pacman"}, {"/bin/opkg", "opkg"}, {"/sbin/apk", "apk"}, {"/usr/bin/emerge", "portage"},
      {"/usr/bin/xbps-install", "xbps"}, {"/usr/bin/swupd", "swupd"}};
  std::string mgr = "unknown";
  bool present = false;
  for (const std::string& p : raw.all("pkg_path")) {
    auto it = by_path.find(p);
    if (it != by_path.end()) mgr = it->second, present = true;
  }
  if (!f.count("os_family")) {
    if (present) f["pkg_mgr"] = mgr;
    return;
  }
  const std::string family = f["os_family"].as_string();
  const std::string dist = f["distribution"].as_string();
  const std::string major = f["distribution_major_version"].as_string();
  char* end = nullptr;
  const long n = std::strtol(major.c_str(), &end, 10);
  const bool numeric = !major.empty() && *end == '\0';
  auto exists = [&](const char* name) {
    for (const std::string& p : raw.all("pkg_path"))
      if (by_path.count(p) && by_path.at(p) == name) return true;
    return false;
  };
  if (family == "RedHat") {
    if (raw.has("ostree_booted")) {
      mgr = "atomic_container";
    } else if (dist == "Fedora" || dist == "Amazon") {
      const long cut = dist == "Fedora" ? 23 : 2022;
      if (!numeric) mgr = "dnf";
      else if (n < cut && exists("yum")) mgr = "yum";
      else if (n >= cut && exists("dnf")) mgr = "dnf";
    } else {
      if (!numeric) return;  // Ansible fails here; say nothing rather than guess
      mgr = n < 8 ? "yum" : "dnf";
    }
  } else if (family == "Debian") {
    mgr = "apt";
  }
  f["pkg_mgr"] = mgr;
}

// selinux collector: the kernel's (or getenforce's) mode, the config's.
void add_selinux(const RawFacts& raw, Value::Object& f) {
  Value::Object se;
  std::string mode;
  if (const std::string* e = raw.first("selinux_enforce")) {
    mode = trim(*e) == "1" ? "enforcing" : trim(*e) == "0" ? "permissive" : "unknown";
  } else if (const std::string* g = raw.first("selinux_getenforce")) {
    const std::string m = trim(*g);
    mode = m == "Enforcing" ? "enforcing" : m == "Permissive" ? "permissive" : "";
  }
  if (mode.empty()) {
    if (!raw.has("selinux_absent") && !raw.has("selinux_getenforce")) return;  // not looked at
    se["status"] = "disabled";
  } else {
    se["status"] = "enabled";
    se["mode"] = mode;
    std::string config_mode = "unknown", type = "unknown";
    for (const std::string& line : raw.all("selinux_config")) {
      const std::string value = trim(line.substr(line.find('=') + 1));
      if (line.rfind("SELINUX=", 0) == 0 &&
          (value == "enforcing" || value == "permissive" || value == "disabled")) config_mode = value;
      if (line.rfind("SELINUXTYPE=", 0) == 0) type = value;
    }
    se["config_mode"] = config_mode;
    se["type"] = type;
    if (const std::string* v = raw.first("selinux_policyvers")) se["policyvers"] = std::int64_t{std::atoll(v->c_str())};
  }
  f["selinux"] = se;
}

void add_system(const RawFacts& raw, Value::Object& f) {
  add_service_mgr(raw, f);
  add_pkg_mgr(raw, f);
  add_selinux(raw, f);
  if (const std::string* u = raw.first("user")) f["user_id"] = *u;
  if (const std::string* pw = raw.first("passwd")) {  // name:x:uid:gid:gecos:dir:shell
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t colon; (colon = pw->find(':', start)) != std::string::npos; start = colon + 1)
      fields.push_back(pw->substr(start, colon - start));
    fields.push_back(pw->substr(start));
    if (fields.size() == 7) f["user_dir"] = fields[5];
  }
  if (const std::string* up = raw.first("uptime")) {
    auto w = split_words(*up);
    if (!w.empty()) f["uptime_seconds"] = static_cast<std::int64_t>(std::strtod(w[0].c_str(), nullptr));
  }
  if (const std::string* d = raw.first("date")) {
    auto w = split_words(*d);  // EPOCH ISO8601
    if (w.size() == 2) f["date_time"] = Value::Object{{"epoch", w[0]}, {"iso8601", w[1]}};
  }
}

}  // namespace

Result<Value::Object> parse_facts(const std::string& stdout_text) {
  RawFacts raw;
  size_t start = 0;
  while (start < stdout_text.size()) {
    size_t end = stdout_text.find('\n', start);
    if (end == std::string::npos) end = stdout_text.size();
    const std::string line = stdout_text.substr(start, end - start);
    start = end + 1;
    const size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    const std::string key = line.substr(0, eq);
    if (key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) continue;
    raw.add(key, line.substr(eq + 1));
  }
  if (!raw.has("fleetk8s_facts")) {
    return Error(ErrorKind::kInvalidInput, "facts: the output is not the fact-gathering script's (no fleetk8s_facts line)");
  }
  Value::Object f;
  add_platform_facts(raw, f);
  add_distribution_facts(raw, f);
  add_cpu_facts(raw, f);
  add_memory_facts(raw, f);
  add_network_facts(raw, f);
  add_system(raw, f);
  return f;
}

}  // namespace fleetk8s::modules
