// CPU, memory and network facts from the script's raw lines, following
// Ansible 2.14's Linux hardware and network collectors (their quirks too:
// the processor counts come out exactly as Ansible computes them, right or
// not, because playbooks compare against those numbers).
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

#include "facts_lib.h"

namespace fleetk8s::modules {

namespace {

std::int64_t to_int(const std::string& s) { return std::strtoll(s.c_str(), nullptr, 10); }

// An insertion-ordered string -> int map: the Python dicts of the collector.
class OrderedCounts {
 public:
  bool has(const std::string& k) const {
    for (const auto& e : entries_)
      if (e.first == k) return true;
    return false;
  }
  void set(const std::string& k, std::int64_t v) {
    for (auto& e : entries_)
      if (e.first == k) return void(e.second = v);
    entries_.emplace_back(k, v);
  }
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  std::int64_t front() const { return entries_.front().second; }

 private:
  std::vector<std::pair<std::string, std::int64_t>> entries_;
};

// Python's floor division for the small non-negative counts here.
std::int64_t floordiv(std::int64_t a, std::int64_t b) { return b == 0 ? 0 : a / b; }

// The number of CPUs in a kernel CPU list: "0-3,8,10-11" -> 7.
std::int64_t cpu_list_size(const std::string& list) {
  std::int64_t n = 0;
  size_t start = 0;
  const std::string s = trim(list);
  while (start < s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    const std::string part = s.substr(start, end - start);
    const size_t dash = part.find('-');
    n += dash == std::string::npos ? 1 : to_int(part.substr(dash + 1)) - to_int(part.substr(0, dash)) + 1;
    start = end + 1;
  }
  return n;
}

}  // namespace

void add_cpu_facts(const RawFacts& raw, Value::Object& f) {
  const auto& lines = raw.all("cpuinfo");
  if (lines.empty()) return;  // /proc/cpuinfo unreadable
  const bool xen = raw.has("xen") || (raw.first("hypervisor") && trim(*raw.first("hypervisor")) == "xen");
  bool xen_paravirt = false;
  std::int64_t i = 0, vendor_ids = 0, model_names = 0, processors = 0;
  std::optional<std::int64_t> listed_cores;
  const std::string kUnset = "\x01";  // Python's initial int 0, never equal to a text id
  std::string physid = kUnset, coreid = kUnset;
  OrderedCounts sockets, cores;
  for (const std::string& line : lines) {
    const size_t colon = line.find(':');
    const std::string key = trim(line.substr(0, colon));
    const std::string val = colon == std::string::npos ? "" : trim(line.substr(colon + 1));
    if (key == "flags") {
      if (xen && val != "vme") xen_paravirt = true;
    } else if (key == "model name" || key == "Processor" || key == "vendor_id" || key == "cpu" || key == "Vendor" ||
               key == "processor") {
      vendor_ids += key == "vendor_id";
      model_names += key == "model name";
      processors += key == "processor";
      ++i;
    } else if (key == "physical id") {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key == "core id") {
      coreid = val;
      if (!sockets.has(coreid)) cores.set(coreid, 1);  // sic: Ansible tests `sockets`
    } else if (key == "cpu cores") {
      sockets.set(physid, to_int(val));
    } else if (key == "siblings") {
      cores.set(coreid, to_int(val));
    } else if (key == "# processors") {
      listed_cores = to_int(val);
    } else if (key == "ncpus active") {
      i = to_int(val);
    }
  }
  if (listed_cores) f["processor_cores"] = *listed_cores;
  if (vendor_ids > 0 && vendor_ids == model_names) i = vendor_ids;
  const std::string arch = f.count("architecture") ? f["architecture"].as_string() : "";
  if (arch.rfind("armv", 0) == 0 || arch.rfind("aarch", 0) == 0 || arch.rfind("ppc", 0) == 0) i = processors;
  if (arch == "s390x") return;
  if (xen_paravirt) {
    f["processor_count"] = i;
    f["processor_cores"] = i;
    f["processor_threads_per_core"] = 1;
    f["processor_vcpus"] = i;
    return;
  }
  const std::int64_t count = sockets.empty() ? i : static_cast<std::int64_t>(sockets.size());
  const std::int64_t per_socket = !sockets.empty() && sockets.front() ? sockets.front() : 1;
  const std::int64_t threads = floordiv(cores.empty() ? 1 : cores.front(), per_socket);
  f["processor_count"] = count;
  f["processor_cores"] = per_socket;
  f["processor_threads_per_core"] = threads;
  f["processor_vcpus"] = threads * count * per_socket;
  const std::string* allowed = raw.first("cpus_allowed");
  f["processor_nproc"] = allowed ? cpu_list_size(*allowed) : processors;
}

void add_memory_facts(const RawFacts& raw, Value::Object& f) {
  const auto& lines = raw.all("meminfo");
  if (lines.empty()) return;  // /proc/meminfo unreadable
  std::map<std::string, std::int64_t> mb;
  for (const std::string& line : lines) {  // "MemTotal:  4030464 kB"
    const size_t colon = line.find(':');
    auto words = split_words(line.substr(colon + 1));
    if (colon != std::string::npos && !words.empty()) mb[line.substr(0, colon)] = to_int(words[0]) / 1024;
  }
  for (const char* k : {"MemTotal", "MemFree", "SwapTotal", "SwapFree"}) {
    if (!mb.count(k)) continue;
    std::string name = k;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    f[name + "_mb"] = mb[k];
  }
  auto get = [&](const char* k) -> Value { return mb.count(k) ? Value(mb[k]) : Value(); };
  auto diff = [&](const Value& a, const Value& b) -> Value {
    return a.is_null() || b.is_null() ? Value() : Value(a.as_int() - b.as_int());
  };
  const Value total = get("MemTotal"), free = get("MemFree"), swap_total = get("SwapTotal"), swap_free = get("SwapFree");
  Value nocache_free;
  if (!free.is_null() && mb.count("Cached") && mb.count("Buffers"))
    nocache_free = Value(mb["Cached"] + free.as_int() + mb["Buffers"]);
  f["memory_mb"] = Value::Object{
      {"real", Value::Object{{"total", total}, {"used", diff(total, free)}, {"free", free}}},
      {"nocache", Value::Object{{"free", nocache_free}, {"used", diff(total, nocache_free)}}},
      {"swap", Value::Object{{"total", swap_total}, {"free", swap_free}, {"used", diff(swap_total, swap_free)},
                             {"cached", get("SwapCached")}}},
  };
}

namespace {

// "a.b.c.d" -> 32-bit value; nullopt when it is not one.
std::optional<std::uint32_t> parse_ipv4(const std::string& s) {
  std::uint32_t v = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j == i || j - i > 3) return std::nullopt;
    const long octet = std::strtol(s.substr(i, j - i).c_str(), nullptr, 10);
    if (octet > 255) return std::nullopt;
    v = (v << 8) | static_cast<std::uint32_t>(octet);
    ++parts;
    if (parts < 4 && (j >= s.size() || s[j] != '.')) return std::nullopt;
    i = j + 1;
    if (parts == 4 && j != s.size()) return std::nullopt;
  }
  return v;
}

std::string format_ipv4(std::uint32_t v) {
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." + std::to_string((v >> 8) & 255) + "." +
         std::to_string(v & 255);
}

// One `ip -o -4 addr show` line: "2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global [secondary] eth0:1".
struct Addr4 {
  std::string device, address, prefix, broadcast, label;
  bool secondary = false;
};

std::optional<Addr4> parse_addr4(const std::string& line) {
  auto w = split_words(line);
  if (w.size() < 4 || w[2] != "inet") return std::nullopt;
  Addr4 a;
  a.device = w[1].substr(0, w[1].find('@'));
  const size_t slash = w[3].find('/');
  a.address = w[3].substr(0, slash);
  a.prefix = slash == std::string::npos ? "32" : w[3].substr(slash + 1);
  if (w.size() > 5 && w[4] == "brd") a.broadcast = w[5];
  for (size_t i = 4; i < w.size(); ++i) a.secondary = a.secondary || w[i] == "secondary";
  a.label = w.back();
  return a;
}

// "2: eth0    inet6 fd00::2/64 scope global" (or "inet6 ADDR peer PEER/64 scope link"):
// the device and Ansible's {address, prefix, scope}.
std::optional<std::pair<std::string, Value>> parse_addr6(const std::string& line) {
  auto w = split_words(line);
  if (w.size() < 6 || w[2] != "inet6") return std::nullopt;
  const bool peer = w.size() >= 8 && w[4] == "peer";
  const std::string& with_prefix = peer ? w[5] : w[3];
  const size_t slash = with_prefix.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const std::string address = peer ? w[3] : with_prefix.substr(0, slash);
  const std::string& scope = peer ? w[7] : w[5];
  return std::pair{w[1].substr(0, w[1].find('@')),
                   Value(Value::Object{{"address", address}, {"prefix", with_prefix.substr(slash + 1)}, {"scope", scope}})};
}

// Ansible leaves out an all-zero MAC (the loopback's).
constexpr const char* kNoMac = "00:00:00:00:00:00";

// Each interface's sysfs attribute `name` ("iface_mtu=eth0 1500" lines).
std::map<std::string, std::string> iface_attr(const RawFacts& raw, const char* key) {
  std::map<std::string, std::string> by_iface;
  for (const std::string& line : raw.all(key)) {
    const size_t sp = line.find(' ');
    if (sp != std::string::npos) by_iface[line.substr(0, sp)] = line.substr(sp + 1);
  }
  return by_iface;
}

}  // namespace

void add_network_facts(const RawFacts& raw, Value::Object& f) {
  if (!raw.has("ip")) return;  // Ansible gathers no network facts without `ip`
  auto macs = iface_attr(raw, "iface_address"), mtus = iface_attr(raw, "iface_mtu");
  auto types = iface_attr(raw, "iface_type"), kinds = iface_attr(raw, "iface_kind");
  auto states = iface_attr(raw, "iface_operstate"), flags = iface_attr(raw, "iface_flags");
  auto speeds = iface_attr(raw, "iface_speed"), pciids = iface_attr(raw, "iface_pciid");
  auto drivers = iface_attr(raw, "iface_module");
  std::map<std::string, Value::Array> ipv6;  // per device, in `ip -6 addr` order
  for (const std::string& line : raw.all("addr6"))
    if (auto a = parse_addr6(line)) ipv6[a->first].push_back(a->second);
  std::vector<Addr4> addrs;
  for (const std::string& line : raw.all("addr4"))
    if (auto a = parse_addr4(line)) addrs.push_back(*a);

  Value::Object def;
  std::string def_address;
  if (const std::string* route = raw.first("route4")) {  // "8.8.8.8 via GW dev IF src ADDR uid 0"
    auto w = split_words(*route);
    if (!w.empty() && w[0] == "8.8.8.8") {
      for (size_t i = 0; i + 1 < w.size(); ++i) {
        if (w[i] == "dev") def["interface"] = w[i + 1];
        else if (w[i] == "src") def["address"] = def_address = w[i + 1];
        else if (w[i] == "via" && w[i + 1] != "8.8.8.8") def["gateway"] = w[i + 1];
      }
    }
  }
  auto type_of = [&](const std::string& device) {
    static const std::map<std::string, std::string> kTypes = {
        {"1", "ether"}, {"32", "infiniband"}, {"512", "ppp"}, {"772", "loopback"}, {"65534", "tunnel"}};
    std::string type = "unknown";
    if (types.count(device) && kTypes.count(types[device])) type = kTypes.at(types[device]);
    if (kinds.count(device)) type = kinds[device];
    return type;
  };

  std::set<std::string> names;
  Value::Array all;
  std::map<std::string, Value::Object> devices;  // ansible_<device>: Ansible's per-interface facts
  for (const std::string& device : raw.all("iface")) {
    names.insert(device);
    Value::Object& dev = devices[device];
    dev["device"] = device;
    if (macs.count(device) && !macs[device].empty() && macs[device] != kNoMac) dev["macaddress"] = macs[device];
    if (mtus.count(device)) dev["mtu"] = to_int(mtus[device]);
    if (states.count(device)) dev["active"] = states[device] != "down";
    if (drivers.count(device)) dev["module"] = drivers[device];
    if (pciids.count(device)) dev["pciid"] = pciids[device];
    if (speeds.count(device)) dev["speed"] = to_int(speeds[device]);
    if (flags.count(device))  // IFF_PROMISC, as Ansible reads it
      dev["promisc"] = (std::strtoul(flags[device].c_str(), nullptr, 16) & 0x100) != 0;
    if (ipv6.count(device)) dev["ipv6"] = ipv6[device];
    dev["type"] = type_of(device);
    Value::Array secondaries;
    for (int pass = 0; pass < 2; ++pass) {  // primary addresses, then secondaries
      for (const Addr4& a : addrs) {
        if (a.device != device || a.secondary != (pass == 1)) continue;
        if (a.label != device) names.insert(a.label);
        const auto address = parse_ipv4(a.address);
        const long prefix = std::strtol(a.prefix.c_str(), nullptr, 10);
        if (!address || prefix < 0 || prefix > 32) continue;
        const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
        const Value::Object ipv4{{"address", a.address}, {"broadcast", a.broadcast}, {"netmask", format_ipv4(mask)},
                                 {"network", format_ipv4(*address & mask)}, {"prefix", a.prefix}};
        if (pass == 1) secondaries.push_back(ipv4);
        else if (!dev.count("ipv4")) dev["ipv4"] = ipv4;
        if (!def_address.empty() && a.address == def_address) {
          for (const auto& [k, v] : ipv4)
            if (k != "address") def[k] = v;
          if (dev.count("macaddress")) def["macaddress"] = dev["macaddress"];
          if (mtus.count(device)) def["mtu"] = to_int(mtus[device]);
          def["type"] = type_of(device);
          def["alias"] = a.label;
        }
        if (a.address.rfind("127.", 0) != 0) all.push_back(a.address);
      }
    }
    if (!secondaries.empty()) dev["ipv4_secondaries"] = secondaries;
  }
  std::set<std::string> listed;  // Ansible: ':' is awkward in templates
  for (std::string name : names) {
    for (char& c : name) c = c == ':' ? '_' : c;
    listed.insert(name);
  }
  f["interfaces"] = Value::Array(listed.begin(), listed.end());
  f["default_ipv4"] = def;
  f["all_ipv4_addresses"] = all;
  for (auto& [device, facts] : devices) {
    std::string key = device;
    for (char& c : key) c = c == ':' || c == '-' ? '_' : c;
    f.emplace(key, std::move(facts));  // never over a fact of another name (an interface called "system")
  }
}

}  // namespace fleetk8s::modules
