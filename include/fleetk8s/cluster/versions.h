// Kubernetes versions as the cluster commands compare them, and what `up`
// and `check` do when the inventory's kubernetes_version is not what the
// hosts run: they never upgrade or downgrade (kubeadm's upgrade is a
// procedure: one minor at a time, control planes first, each node drained;
// see `fleetk8s upgrade`). Pure: no hosts here.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fleetk8s::cluster {

struct KubeVersion {
  int major = 1;
  int minor = 0;
  int patch = -1;  // -1: not given ("1.34")

  // "1.34", "v1.34.2", "1.34.2-150500.1.1" (an rpm VERSION-RELEASE: the
  // release is ignored). nullopt for anything else.
  static std::optional<KubeVersion> parse(std::string_view text);
  std::string str() const;        // "1.34.2", or "1.34" without a patch
  std::string minor_str() const;  // "1.34"
  // Minors apart: 1.35 vs 1.33 is 2.
  int minors_after(const KubeVersion& older) const { return (major - older.major) * 1000 + minor - older.minor; }
  // This release is `other` or newer (a missing patch counts as 0).
  bool at_least(const KubeVersion& other) const {
    const int m = minors_after(other);
    return m > 0 || (m == 0 && std::max(patch, 0) >= std::max(other.patch, 0));
  }
};

// What the reached hosts run against what the inventory asks for.
struct VersionVerdict {
  enum class Kind {
    kAgree,  // every host that runs Kubernetes runs the wanted version (or none runs it yet)
    kPin,    // they all run `running`, which is not the wanted one: this run keeps `running`
    kMixed,  // they run different versions: an upgrade did not finish
  };
  Kind kind = Kind::kAgree;
  std::string running;  // kPin: the version every host runs ("1.33.5")
  std::string message;  // kPin, kMixed: what to tell the admin (one paragraph)
  // kPin, kMixed: each host whose version is not the wanted one, with its
  // version: check lists them as drift.
  std::vector<std::pair<std::string, std::string>> differing;
};

// `wanted`: kubernetes_version (checked); `installed`: each reached host's
// kubelet package version ("" when not installed), inventory order. A
// wanted minor without a patch ("1.33") agrees with every 1.33.x.
VersionVerdict compare_versions(const std::string& wanted,
                                const std::vector<std::pair<std::string, std::string>>& installed);

}  // namespace fleetk8s::cluster
