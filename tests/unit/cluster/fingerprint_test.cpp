// Which hosts a watch cycle checks in full (cluster/fingerprint.h).
#include <catch2/catch.hpp>

#include "fleetk8s/cluster/fingerprint.h"
#include "fleetk8s/cluster/watch_flags.h"

using namespace fleetk8s;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

TEST_CASE("watch fingerprints: an unchanged host is not checked in full; every other reason is", "[cluster][watch]") {
  const auto now = Steady::now();
  const std::vector<std::string> hosts{"cp1", "same", "changed", "failed", "new", "old", "lost"};
  std::map<std::string, std::optional<std::string>> probed{
      {"cp1", "a"}, {"same", "b"}, {"changed", "c2"}, {"failed", std::nullopt}, {"new", "e"}, {"old", "f"}};
  std::map<std::string, cluster::Baseline> base{{"cp1", {"a", now - 1s}},     {"same", {"b", now - 9min}},
                                               {"changed", {"c", now - 1s}}, {"failed", {"d", now - 1s}},
                                               {"old", {"f", now - 10min}},  {"lost", {"g", now - 1s}}};
  CHECK(cluster::hosts_to_check(hosts, probed, base, now, 10min) ==
        std::vector<std::string>{"changed", "failed", "new", "old", "lost"});
  // Every host unchanged: none.
  probed["changed"] = "c";
  probed["failed"] = "d";
  probed["new"] = std::nullopt;
  base.erase("lost");
  CHECK(cluster::hosts_to_check({"cp1", "same", "changed", "failed"}, probed, base, now, 10min).empty());
  // An empty fingerprint is a fingerprint too (a baseline of "" matches only "").
  base["blank"] = {"", now};
  probed["blank"] = "";
  CHECK(cluster::hosts_to_check({"blank"}, probed, base, now, 10min).empty());
}

TEST_CASE("watch fingerprints: any change to the probe's output changes the fingerprint", "[cluster][watch]") {
  const std::string out = "1796666818.7004797140 80 /etc/modules-load.d\nActiveState=active\n0\n";
  const std::string fp = cluster::fingerprint_of(out);
  CHECK(fp == cluster::fingerprint_of(std::string(out)));
  CHECK(fp.size() > 16);
  std::string flipped = out;
  flipped[20] = '8';  // a ctime moved
  CHECK(cluster::fingerprint_of(flipped) != fp);
  CHECK(cluster::fingerprint_of(out + "\n") != fp);
  CHECK(cluster::fingerprint_of(out.substr(1)) != fp);
  CHECK(cluster::fingerprint_of("") != cluster::fingerprint_of(std::string(1, '\0')));
}

TEST_CASE("watch fingerprints: the probe is fixed text", "[cluster][watch]") {
  const std::string script(cluster::fingerprint_script());
  CHECK(script.find("{{") == std::string::npos);
  CHECK(script.find("$1") == std::string::npos);
  CHECK(script.find("find -H /etc/fstab") != std::string::npos);
  CHECK(script.find("/var/lib/rpm") != std::string::npos);
}

TEST_CASE("watch fingerprints: a host with a finding keeps no baseline (drift, failure, a problem naming it)",
          "[cluster][watch]") {
  const std::vector<std::string> checked{"cp1", "cp10", "w1", "w2", "w3"};
  const std::vector<std::pair<std::string, std::string>> changes{{"w1", "Swap off now"}};
  const std::map<std::string, std::string> failed{{"w2", "Gathering Facts: boom"}};
  const std::vector<std::string> problems{"cp1: the certificate apiserver EXPIRED", "etcd: quorum lost"};
  CHECK(cluster::hosts_with_findings(checked, changes, failed, problems) == std::set<std::string>{"cp1", "w1", "w2"});
  // Only hosts that were checked: what a host left out had is not new.
  CHECK(cluster::hosts_with_findings({"w3"}, changes, failed, problems).empty());
}

TEST_CASE("watch: --every is a duration of 1s or more, its default one", "[cluster][watch]") {
  auto ok = cluster::parse_watch_every(cluster::kDefaultWatchEveryText);
  REQUIRE(ok.ok());
  CHECK(*ok == std::chrono::seconds(30));
  CHECK(*cluster::parse_watch_every("1s") == std::chrono::seconds(1));
  for (const char* bad : {"0s", "", "soon", "-5m", "5m;reboot"}) {
    auto r = cluster::parse_watch_every(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message() == std::string("--every ") + bad + ": expected the watch's cycle, a duration of 1s or more (30s, 5m)");
  }
}

TEST_CASE("watch fingerprints: --full-check-every is a duration no shorter than the cycle", "[cluster][watch]") {
  auto ok = cluster::parse_full_check_every("15m", std::chrono::seconds(30), "30s");
  REQUIRE(ok.ok());
  CHECK(*ok == std::chrono::seconds(900));
  CHECK(cluster::parse_full_check_every("30s", std::chrono::seconds(30), "30s").ok());  // equal: every cycle in full
  for (const char* bad : {"10s", "0s", "soon", "-5m", "5m;reboot"}) {
    auto r = cluster::parse_full_check_every(bad, std::chrono::seconds(30), "30s");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message() == std::string("--full-check-every ") + bad +
                                     ": expected a duration no shorter than --every 30s (equal: every cycle in full)");
  }
}
