#include <catch2/catch.hpp>

#include "fleetk8s/cluster/versions.h"

using namespace fleetk8s::cluster;
using Kind = VersionVerdict::Kind;
using Installed = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("Kubernetes versions are read as kubeadm and rpm write them", "[cluster][versions]") {
  CHECK(KubeVersion::parse("1.34")->str() == "1.34");
  CHECK(KubeVersion::parse("v1.34.2")->str() == "1.34.2");
  CHECK(KubeVersion::parse("1.33.5-150500.1.1")->str() == "1.33.5");
  CHECK(KubeVersion::parse("1.35.0")->minors_after(*KubeVersion::parse("1.33.9")) == 2);
  for (const char* bad : {"", "1", "1.", "1.34.", "1.34.x", "01.34", "1.34.2.1", "latest", "package kubelet is not installed"})
    CHECK_FALSE(KubeVersion::parse(bad));
}

TEST_CASE("up keeps the version the hosts run: never an upgrade, never a downgrade", "[cluster][versions]") {
  // Agreement: a minor agrees with each of its patches; new nodes run nothing yet.
  CHECK(compare_versions("1.33", {{"cp1", "1.33.5"}, {"w1", ""}}).kind == Kind::kAgree);
  CHECK(compare_versions("1.33.5", {{"cp1", "1.33.5"}, {"w1", "1.33.5"}}).kind == Kind::kAgree);
  CHECK(compare_versions("1.34", {{"cp1", ""}, {"w1", ""}}).kind == Kind::kAgree);

  auto up = compare_versions("1.34", {{"cp1", "1.33.5"}, {"w1", "1.33.5"}, {"w2", ""}});
  CHECK(up.kind == Kind::kPin);
  CHECK(up.running == "1.33.5");
  CHECK(up.differing == Installed{{"cp1", "1.33.5"}, {"w1", "1.33.5"}});
  CHECK(up.message ==
        "kubernetes_version is 1.34 but the cluster runs 1.33.5: up never upgrades a running cluster "
        "(`fleetk8s upgrade` does, node by node); this run keeps 1.33.5 for everything that depends on the version");

  auto patch = compare_versions("1.33.6", {{"cp1", "1.33.5"}});
  CHECK(patch.kind == Kind::kPin);
  CHECK(patch.message.find("up never upgrades") != std::string::npos);

  auto down = compare_versions("1.32", {{"cp1", "1.33.5"}});
  CHECK(down.kind == Kind::kPin);
  CHECK(down.message.find("fleetk8s never downgrades a cluster; this run keeps 1.33.5") != std::string::npos);
}

TEST_CASE("hosts at different versions are an unfinished upgrade", "[cluster][versions]") {
  auto mixed = compare_versions("1.34", {{"cp1", "1.34.1"}, {"w1", "1.33.5"}, {"w2", "1.33.5"}});
  CHECK(mixed.kind == Kind::kMixed);
  CHECK(mixed.differing == Installed{{"w1", "1.33.5"}, {"w2", "1.33.5"}});
  CHECK(mixed.message.rfind("the hosts run different Kubernetes versions (w1, w2 run 1.33.5; cp1 runs 1.34.1)", 0) == 0);
}
