// `fleetk8s upgrade`'s arithmetic, pure: which versions to step through
// (kubeadm upgrades one minor at a time), the version-skew checks
// (kubernetes.io version-skew-policy), and the workers' batches for
// --max-unavailable. The phases that act on it are in src/cluster/phases.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fleetk8s/cluster/versions.h"
#include "fleetk8s/core/result.h"

namespace fleetk8s::cluster {

// The patch releases each minor's repository offers: "1.34" -> {0, 1, 2}.
using AvailablePatches = std::map<std::string, std::vector<int>>;

// The releases to upgrade to, in order, from the control plane's `current`
// release to `target` ("1.34": the newest patch of 1.34; "1.34.2": that
// one): one step per minor, each the newest patch of its minor, the last
// one `target`. Nothing when the cluster is at the target already.
// Errors (kInvalidInput): a downgrade; a release or minor the repositories
// do not offer; a malformed target.
Result<std::vector<KubeVersion>> upgrade_steps(const KubeVersion& current, const std::string& target,
                                              const AvailablePatches& available);

// Version-skew problems of a cluster whose API servers run `api_servers`
// and whose kubelets run `kubelets` (host -> version), as one line each:
// a kubelet newer than the oldest API server, or older than it by more
// than 3 minors (2 before 1.25); API servers more than one minor apart.
std::vector<std::string> skew_problems(const std::vector<std::pair<std::string, KubeVersion>>& api_servers,
                                       const std::vector<std::pair<std::string, KubeVersion>>& kubelets);

// --max-unavailable: "N" workers at once (N >= 1), or "P%" of the workers
// (rounded down, at least 1). Errors name the flag and what was expected.
Result<int> batch_size(const std::string& max_unavailable, size_t workers);

// The workers in batches of `size`, inventory order.
std::vector<std::vector<std::string>> worker_batches(const std::vector<std::string>& workers, int size);

}  // namespace fleetk8s::cluster
