#include <catch2/catch.hpp>

#include "fleetk8s/cluster/upgrade_plan.h"

using namespace fleetk8s::cluster;

namespace {

KubeVersion v(const char* text) { return *KubeVersion::parse(text); }

std::vector<std::string> steps(const char* current, const char* target) {
  const AvailablePatches repo{{"1.32", {0, 1, 9}}, {"1.33", {0, 1, 2, 3, 4, 5}}, {"1.34", {0, 1}}, {"1.35", {0}}};
  auto r = upgrade_steps(v(current), target, repo);
  if (!r) return {"error: " + r.error().message()};
  std::vector<std::string> out;
  for (const auto& s : *r) out.push_back(s.str());
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("upgrade steps: one minor at a time, each to its newest patch", "[cluster][upgrade]") {
  CHECK(steps("1.33.5", "1.34") == Lines{"1.34.1"});
  CHECK(steps("1.33.5", "1.34.0") == Lines{"1.34.0"});
  CHECK(steps("1.32.1", "1.34") == Lines{"1.33.5", "1.34.1"});
  CHECK(steps("1.32.1", "1.35.0") == Lines{"1.33.5", "1.34.1", "1.35.0"});
  // A patch upgrade within the minor; nothing when at the target already.
  CHECK(steps("1.33.2", "1.33") == Lines{"1.33.5"});
  CHECK(steps("1.33.2", "1.33.4") == Lines{"1.33.4"});
  CHECK(steps("1.33.5", "1.33") == Lines{});
  CHECK(steps("1.34.1", "1.34.1") == Lines{});
}

TEST_CASE("upgrade steps refuse downgrades and what the repositories lack", "[cluster][upgrade]") {
  CHECK(steps("1.33.5", "1.32") ==
        Lines{"error: --to 1.32: the cluster runs 1.33.5; fleetk8s never downgrades (kubeadm does not support it)"});
  CHECK(steps("1.33.5", "1.33.1") ==
        Lines{"error: --to 1.33.1: the cluster runs 1.33.5; fleetk8s never downgrades (kubeadm does not support it)"});
  CHECK(steps("1.34.1", "1.36") == Lines{"error: --to 1.36: the repositories offer no Kubernetes 1.36"});
  CHECK(steps("1.33.5", "1.34.7") == Lines{"error: --to 1.34.7: the Kubernetes 1.34 repository has no release 1.34.7"});
  CHECK(steps("1.33.5", "latest") == Lines{"error: --to latest: expected a Kubernetes minor (1.34) or release (1.34.2)"});
}

TEST_CASE("version skew as kubernetes.io's policy states it", "[cluster][upgrade]") {
  CHECK(skew_problems({{"cp1", v("1.34.1")}}, {{"cp1", v("1.34.1")}, {"w1", v("1.33.5")}, {"w2", v("1.31.0")}}).empty());
  CHECK(skew_problems({{"cp1", v("1.33.5")}}, {{"w1", v("1.34.1")}}) ==
        Lines{"the kubelet of w1 (1.34.1) is newer than the API server of cp1 (1.33.5)"});
  CHECK(skew_problems({{"cp1", v("1.34.1")}}, {{"w1", v("1.30.14")}}) ==
        Lines{"the kubelet of w1 (1.30.14) is 4 minors behind the API server (1.34.1; at most 3)"});
  CHECK(skew_problems({{"cp1", v("1.24.1")}}, {{"w1", v("1.21.0")}}) ==
        Lines{"the kubelet of w1 (1.21.0) is 3 minors behind the API server (1.24.1; at most 2)"});
  CHECK(skew_problems({{"cp1", v("1.34.1")}, {"cp2", v("1.32.9")}}, {}) ==
        Lines{"API servers more than one minor apart: cp1 runs 1.34.1, cp2 1.32.9"});
}

TEST_CASE("the worker batches of --max-unavailable: workers at once, or a share of them", "[cluster][upgrade]") {
  CHECK(*batch_size("1", 19) == 1);
  CHECK(*batch_size("3", 19) == 3);
  CHECK(*batch_size("25%", 19) == 4);
  CHECK(*batch_size("25%", 3) == 1);  // at least one
  CHECK(*batch_size("100%", 3) == 3);
  for (const char* bad : {"0", "-1", "x", "", "10%%", "101%", "1.5"})
    CHECK(batch_size(bad, 3).error().message() ==
          "--max-unavailable " + std::string(bad) +
              ": expected a number of workers (1, 2, ...) or a percentage (1% to 100%)");
  CHECK(worker_batches({"w1", "w2", "w3", "w4", "w5"}, 2) ==
        std::vector<std::vector<std::string>>{{"w1", "w2"}, {"w3", "w4"}, {"w5"}});
}
