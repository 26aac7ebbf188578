#include "fleetk8s/cluster/versions.h"

#include <charconv>
#include <map>

namespace fleetk8s::cluster {

namespace {

// A decimal number of at most 4 digits at the front of `s`, consumed.
std::optional<int> number(std::string_view& s) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  const size_t used = static_cast<size_t>(end - s.data());
  if (ec != std::errc() || used == 0 || used > 4 || (used > 1 && s[0] == '0')) return std::nullopt;
  s.remove_prefix(used);
  return v;
}

}  // namespace

std::optional<KubeVersion> KubeVersion::parse(std::string_view text) {
  if (!text.empty() && text[0] == 'v') text.remove_prefix(1);
  if (auto dash = text.find('-'); dash != std::string_view::npos) text = text.substr(0, dash);
  KubeVersion v;
  auto major = number(text);
  if (!major || text.empty() || text[0] != '.') return std::nullopt;
  text.remove_prefix(1);
  auto minor = number(text);
  if (!minor) return std::nullopt;
  v.major = *major;
  v.minor = *minor;
  if (text.empty()) return v;
  if (text[0] != '.') return std::nullopt;
  text.remove_prefix(1);
  auto patch = number(text);
  if (!patch || !text.empty()) return std::nullopt;
  v.patch = *patch;
  return v;
}

std::string KubeVersion::str() const { return minor_str() + (patch >= 0 ? "." + std::to_string(patch) : ""); }

std::string KubeVersion::minor_str() const { return std::to_string(major) + "." + std::to_string(minor); }

VersionVerdict compare_versions(const std::string& wanted_text,
                                const std::vector<std::pair<std::string, std::string>>& installed) {
  VersionVerdict out;
  const auto wanted = KubeVersion::parse(wanted_text);
  if (!wanted) return out;  // cluster_settings checked it: nothing to compare against
  auto agrees = [&](const KubeVersion& v) {
    return v.major == wanted->major && v.minor == wanted->minor && (wanted->patch < 0 || v.patch == wanted->patch);
  };
  std::map<std::string, std::vector<std::string>> by_version;  // version -> hosts
  for (const auto& [host, text] : installed) {
    const auto v = KubeVersion::parse(text);
    if (!v) continue;  // not installed (a node about to join)
    by_version[v->str()].push_back(host);
    if (!agrees(*v)) out.differing.emplace_back(host, v->str());
  }
  if (out.differing.empty()) return out;
  if (by_version.size() > 1) {
    out.kind = VersionVerdict::Kind::kMixed;
    std::string list;
    for (const auto& [version, hosts] : by_version) {
      list += list.empty() ? "" : "; ";
      for (size_t i = 0; i < hosts.size(); ++i) list += (i ? ", " : "") + hosts[i];
      list += (hosts.size() == 1 ? " runs " : " run ") + version;
    }
    out.message = "the hosts run different Kubernetes versions (" + list +
                  "): an upgrade did not finish. Nothing was changed: finish it with `fleetk8s upgrade` "
                  "(the plan names the hosts behind), then run up again";
    return out;
  }
  out.kind = VersionVerdict::Kind::kPin;
  out.running = by_version.begin()->first;
  const auto running = *KubeVersion::parse(out.running);
  const bool newer = wanted->minors_after(running) > 0 ||
                     (wanted->minors_after(running) == 0 && wanted->patch > running.patch);
  out.message = "kubernetes_version is " + wanted->str() + " but the cluster runs " + out.running + ": " +
                (newer ? "up never upgrades a running cluster (`fleetk8s upgrade` does, node by node)"
                       : "fleetk8s never downgrades a cluster") +
                "; this run keeps " + out.running + " for everything that depends on the version";
  return out;
}

}  // namespace fleetk8s::cluster
