// --limit: Ansible's patterns and @FILE, but a part that matches nothing is
// an error instead of a warning.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/inventory/pattern.h"

using fleetk8s::ErrorKind;
using fleetk8s::inventory::Inventory;
using fleetk8s::inventory::select_limit;
using Catch::Matchers::Contains;

namespace {

using Names = std::vector<std::string>;

Inventory cluster() {
  auto r = Inventory::parse_ini(
      "[control_plane]\ncp1\n"
      "[workers]\nw1\nw2\nw3\n"
      "[maintenance]\n",
      "c.ini");
  REQUIRE(r.ok());
  return std::move(*r);
}

}  // namespace

TEST_CASE("a limit selects as Ansible does") {
  const Inventory inv = cluster();
  CHECK(*select_limit(inv, "w1:w2") == Names{"w1", "w2"});
  CHECK(*select_limit(inv, "workers:!w2") == Names{"w1", "w3"});
  CHECK(*select_limit(inv, "all:&workers") == Names{"w1", "w2", "w3"});
  CHECK(*select_limit(inv, "workers[0]") == Names{"w1"});
  CHECK(*select_limit(inv, "w*,cp1") == Names{"w1", "w2", "w3", "cp1"});
  // An existing group without hosts is no mistake: `all:!maintenance` is an idiom.
  CHECK(*select_limit(inv, "all:!maintenance") == Names{"cp1", "w1", "w2", "w3"});
}

TEST_CASE("a limit part that matches nothing is an error, not dropped") {
  const Inventory inv = cluster();
  for (const char* limit : {"w1:nosuch", "w1,nosuch", "workers:!w9", "all:&nosuch", "wx*", "~zz.*"}) {
    INFO(limit);
    auto r = select_limit(inv, limit);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kInvalidInput);
    CHECK_THAT(r.error().message(), Contains("matches no host or group"));
  }
  auto r = select_limit(inv, "w1:nosuch");
  CHECK(r.error().message() == "\"nosuch\" matches no host or group in the inventory");
  auto sub = select_limit(inv, "w1:workers[7]");
  REQUIRE_FALSE(sub.ok());
  CHECK_THAT(sub.error().message(), Contains("\"workers[7]\" selects nothing from 3 hosts"));
}

TEST_CASE("a limit @FILE reads one pattern per line, as a retry file") {
  const Inventory inv = cluster();
  const auto path = std::filesystem::temp_directory_path() / "fleetk8s-limit-test.retry";
  std::ofstream(path) << "w3\n\nw1\n!w1\n";
  CHECK(*select_limit(inv, "cp1:@" + path.string()) == Names{"cp1", "w3"});
  std::ofstream(path) << "w3\nnosuch\n";
  auto bad = select_limit(inv, "@" + path.string());
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message(), Contains("\"nosuch\" matches no host or group"));
  std::filesystem::remove(path);
  auto missing = select_limit(inv, "@" + path.string());
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message(), Contains("cannot read the limit file"));
}

TEST_CASE("a subscript past any int selects as a large one does, without throwing") {
  const Inventory inv = cluster();
  // tests/fuzz/pending/host_pattern-stoi-out-of-range
  auto r = inv.select("workers[5:9999999999999999999999999999]");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message(), Contains("selects nothing from 3 hosts"));
  CHECK(*inv.select("workers[1:99999999999999999999]") == Names{"w2", "w3"});
  CHECK(*inv.select("workers[0:99999999999999999999]") == Names{"w1", "w2", "w3"});
  CHECK_FALSE(inv.select("workers[-99999999999999999999]").ok());
}
