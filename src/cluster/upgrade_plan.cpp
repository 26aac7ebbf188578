#include "fleetk8s/cluster/upgrade_plan.h"

#include <algorithm>
#include <charconv>

namespace fleetk8s::cluster {

namespace {

Error bad(const std::string& what) { return Error(ErrorKind::kInvalidInput, what); }

}  // namespace

Result<std::vector<KubeVersion>> upgrade_steps(const KubeVersion& current, const std::string& target_text,
                                              const AvailablePatches& available) {
  const auto target = KubeVersion::parse(target_text);
  if (!target) return bad("--to " + target_text + ": expected a Kubernetes minor (1.34) or release (1.34.2)");
  const int ahead = target->minors_after(current);
  if (ahead < 0 || (ahead == 0 && target->patch >= 0 && target->patch < current.patch))
    return bad("--to " + target->str() + ": the cluster runs " + current.str() +
               "; fleetk8s never downgrades (kubeadm does not support it)");
  std::vector<KubeVersion> steps;
  for (int i = ahead == 0 ? 0 : 1; i <= ahead; ++i) {
    KubeVersion step{current.major, current.minor + i, -1};
    auto it = available.find(step.minor_str());
    if (it == available.end() || it->second.empty())
      return bad("--to " + target->str() + ": the repositories offer no Kubernetes " + step.minor_str());
    const auto& patches = it->second;
    if (i == ahead && target->patch >= 0) {
      if (std::find(patches.begin(), patches.end(), target->patch) == patches.end())
        return bad("--to " + target->str() + ": the Kubernetes " + step.minor_str() + " repository has no release " +
                   target->str());
      step.patch = target->patch;
    } else {
      step.patch = *std::max_element(patches.begin(), patches.end());
    }
    if (i == 0 && step.patch <= current.patch) break;  // at the target's minor, nothing newer
    steps.push_back(step);
  }
  return steps;
}

std::vector<std::string> skew_problems(const std::vector<std::pair<std::string, KubeVersion>>& api_servers,
                                       const std::vector<std::pair<std::string, KubeVersion>>& kubelets) {
  std::vector<std::string> out;
  if (api_servers.empty()) return out;
  auto oldest = api_servers.front(), newest = api_servers.front();
  for (const auto& a : api_servers) {
    if (a.second.minors_after(oldest.second) < 0) oldest = a;
    if (a.second.minors_after(newest.second) > 0) newest = a;
  }
  if (newest.second.minors_after(oldest.second) > 1)
    out.push_back("API servers more than one minor apart: " + newest.first + " runs " + newest.second.str() + ", " +
                  oldest.first + " " + oldest.second.str());
  const int max_behind = oldest.second.minor >= 25 ? 3 : 2;
  for (const auto& [host, v] : kubelets) {
    const int behind = oldest.second.minors_after(v);
    if (behind < 0)
      out.push_back("the kubelet of " + host + " (" + v.str() + ") is newer than the API server of " + oldest.first +
                    " (" + oldest.second.str() + ")");
    else if (behind > max_behind)
      out.push_back("the kubelet of " + host + " (" + v.str() + ") is " + std::to_string(behind) +
                    " minors behind the API server (" + oldest.second.str() + "; at most " +
                    std::to_string(max_behind) + ")");
  }
  return out;
}

Result<int> batch_size(const std::string& text, size_t workers) {
  const bool percent = !text.empty() && text.back() == '%';
  const std::string digits = percent ? text.substr(0, text.size() - 1) : text;
  int n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n < 1 || (percent && n > 100))
    return bad("--max-unavailable " + text + ": expected a number of workers (1, 2, ...) or a percentage (1% to 100%)");
  if (!percent) return n;
  return std::max(1, static_cast<int>(workers * static_cast<size_t>(n) / 100));
}

std::vector<std::vector<std::string>> worker_batches(const std::vector<std::string>& workers, int size) {
  std::vector<std::vector<std::string>> out;
  for (size_t i = 0; i < workers.size(); i += static_cast<size_t>(size))
    out.emplace_back(workers.begin() + static_cast<long>(i),
                     workers.begin() + static_cast<long>(std::min(workers.size(), i + static_cast<size_t>(size))));
  return out;
}

}  // namespace fleetk8s::cluster
