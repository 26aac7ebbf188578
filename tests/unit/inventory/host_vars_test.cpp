#include <catch2/catch.hpp>

#include "fleetk8s/inventory/inventory.h"

using fleetk8s::Value;
using fleetk8s::inventory::Inventory;

namespace {

Value var(const std::string& ini, const std::string& host, const std::string& key) {
  auto r = Inventory::parse_ini(ini, "inv.ini");
  if (!r.ok()) FAIL(r.error().message());
  auto vars = r->host_vars(host);
  auto it = vars.find(key);
  if (it == vars.end()) FAIL("no variable " << key);
  return it->second;
}

}  // namespace

TEST_CASE("precedence: all < parent < child < host", "[inventory][precedence]") {
  const std::string inv =
      "[child]\nh1\nh2 v=host\n"
      "[parent:children]\nchild\n"
      "[all:vars]\nv=all\na=all\n"
      "[parent:vars]\nv=parent\np=parent\n"
      "[child:vars]\nv=child\n";
  CHECK(var(inv, "h1", "v") == Value("child"));
  CHECK(var(inv, "h1", "p") == Value("parent"));
  CHECK(var(inv, "h1", "a") == Value("all"));
  CHECK(var(inv, "h2", "v") == Value("host"));
}

TEST_CASE("precedence: same depth merges by name, later wins", "[inventory][precedence]") {
  const std::string inv = "[zeta]\nh\n[alpha]\nh\n[zeta:vars]\nv=zeta\n[alpha:vars]\nv=alpha\n";
  CHECK(var(inv, "h", "v") == Value("zeta"));
}

TEST_CASE("precedence: ansible_group_priority beats names at the same depth", "[inventory][precedence]") {
  const std::string inv =
      "[zeta]\nh\n[alpha]\nh\n"
      "[zeta:vars]\nv=zeta\n"
      "[alpha:vars]\nv=alpha\nansible_group_priority=5\n";
  CHECK(var(inv, "h", "v") == Value("alpha"));
  auto r = Inventory::parse_ini(inv, "inv.ini");
  REQUIRE(r.ok());
  CHECK(r->group_priority("alpha") == 5);
  CHECK(r->group_priority("zeta") == 1);
  CHECK(r->find_group("alpha")->vars.count("ansible_group_priority") == 0);  // not a variable
}

TEST_CASE("ansible_group_priority must fit an int", "[inventory][precedence]") {
  // The float cast was undefined past int's range; NaN and infinity have no int.
  for (const char* bad : {"1e300", "-1e300", "2147483648", "nan", "float('inf')"}) {
    auto r = Inventory::parse_ini(std::string("[g]\nh\n[g:vars]\nansible_group_priority=") + bad + "\n", "inv.ini");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message(), Catch::Contains("ansible_group_priority must be an integer"));
  }
  auto yaml = Inventory::parse_yaml("all:\n  children:\n    g:\n      hosts: {h: }\n      vars: {ansible_group_priority: .nan}\n",
                                    "inv.yml");
  REQUIRE_FALSE(yaml.ok());
  CHECK_THAT(yaml.error().message(), Catch::Contains("ansible_group_priority must be an integer"));
  auto ok = Inventory::parse_ini("[g]\nh\n[g:vars]\nansible_group_priority=7.9\n", "inv.ini");
  REQUIRE(ok.ok());
  CHECK(ok->group_priority("g") == 7);  // Python's int() truncates
}

TEST_CASE("precedence: depth is the longest path from all", "[inventory][precedence]") {
  // h is in "deep" (depth 3) and "shallow" (depth 1, high priority): deep wins.
  const std::string inv =
      "[shallow]\nh\n[top:children]\nmid\n[mid:children]\ndeep\n[deep]\nh\n"
      "[shallow:vars]\nv=shallow\nansible_group_priority=100\n"
      "[deep:vars]\nv=deep\n";
  CHECK(var(inv, "h", "v") == Value("deep"));
}

TEST_CASE("host_vars of an unknown host is empty", "[inventory][precedence]") {
  Inventory inv;
  CHECK(inv.host_vars("nobody").empty());
  CHECK(inv.groups_of("nobody").empty());
}
