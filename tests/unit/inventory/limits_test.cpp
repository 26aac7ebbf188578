// Hostile inventories must give an error (or keep the text, as Ansible
// does), never exhaust the stack or memory: host ranges and Python
// literals are bounded.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fleetk8s/inventory/inventory.h"

using fleetk8s::ErrorKind;
using fleetk8s::Value;
using fleetk8s::inventory::Inventory;

namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string ini_error(const std::string& text) {
  auto r = Inventory::parse_ini(text, "inv.ini");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kInvalidInput);
  return r.error().message();
}

Value var(const std::string& text, const std::string& key) {
  auto r = Inventory::parse_ini(text, "inv.ini");
  if (!r.ok()) FAIL(r.error().message());
  auto vars = r->host_vars("h");
  auto it = vars.find(key);
  if (it == vars.end()) FAIL("no variable " << key);
  return it->second;
}

}  // namespace

TEST_CASE("limits: a host range may not stand for more than 100000 hosts", "[inventory][limits]") {
  CHECK(ini_error("[g]\ng[1:99999999999]\n") ==
        "inv.ini:2: bad host range [1:99999999999]: more than 100000 hosts\n    g[1:99999999999]");
  CHECK(ini_error("[g]\nweb[01:99999999999]\n").find("same width") != std::string::npos);
  CHECK(ini_error("[g]\nweb[00000000001:99999999999]\n").find("more than 100000 hosts") != std::string::npos);
  // Several ranges multiply.
  CHECK(ini_error("[g]\nh[0:9999]-[0:9999]\n") ==
        "inv.ini:2: bad host range in \"h[0:9999]-[0:9999]\": more than 100000 hosts\n    h[0:9999]-[0:9999]");
  CHECK(ini_error("[g]\nh" + repeat("[0:1]", 100) + "\n").find("more than 100000 hosts") != std::string::npos);
}

TEST_CASE("limits: host range numbers beyond 64 bits are an error", "[inventory][limits]") {
  CHECK(ini_error("[g]\nh[1:99999999999999999999]\n").find("bounds must be at most 9223372036854775807") !=
        std::string::npos);
  CHECK(ini_error("[g]\nh[1:2:99999999999999999999]\n").find("step must be a positive number") !=
        std::string::npos);
}

TEST_CASE("limits: extreme but valid host ranges", "[inventory][limits]") {
  // A step that would overflow past the end.
  auto r = Inventory::parse_ini("[g]\nh[9223372036854775806:9223372036854775807:9223372036854775807]\n", "inv.ini");
  REQUIRE(r.ok());
  CHECK(r->find_group("g")->hosts == std::vector<std::string>{"h9223372036854775806"});
  // Many one-value ranges in one name.
  auto many = Inventory::parse_ini("[g]\nh" + repeat("[1:1]", 1000) + "\n", "inv.ini");
  REQUIRE(many.ok());
  CHECK(many->find_group("g")->hosts == std::vector<std::string>{"h" + repeat("1", 1000)});
}

TEST_CASE("limits: Python literals nest at most 200 deep, as in Python", "[inventory][limits]") {
  Value deep = var("h x=" + repeat("[", 200) + repeat("]", 200) + "\n", "x");
  CHECK(deep.is_array());
  // Python: "too many nested parentheses"; the text is kept.
  std::string too_deep = repeat("[", 201) + repeat("]", 201);
  CHECK(var("h x=" + too_deep + "\n", "x") == Value(too_deep));
  std::string hostile = repeat("[", 100000);
  CHECK(var("h x=" + hostile + "\n", "x") == Value(hostile));
  std::string dicts = repeat("{1:", 100000);
  CHECK(var("h x=" + dicts + "\n", "x") == Value(dicts));
  std::string parens = repeat("(", 100000);
  CHECK(var("h x=" + parens + "\n", "x") == Value(parens));
}

TEST_CASE("limits: a 30 KB section header, child group or host name is an error, not a stack overflow",
          "[inventory][limits]") {
  const std::string huge(30000, 'g');
  auto section = fleetk8s::inventory::Inventory::parse_ini("[" + huge + "]\nh1\n", "big.ini");
  REQUIRE_FALSE(section.ok());
  CHECK_THAT(section.error().message(), Catch::StartsWith("big.ini:1: invalid section header: longer than"));
  auto child = fleetk8s::inventory::Inventory::parse_ini("[all:children]\n" + huge + "\n", "big.ini");
  REQUIRE_FALSE(child.ok());
  CHECK_THAT(child.error().message(), Catch::Contains("big.ini:2: expected a group name"));
  // A host text too long to be an address is read as a name, as any text
  // that is no address is (and no longer overflows the address matcher).
  auto host = fleetk8s::inventory::Inventory::parse_ini("[web]\n" + huge + ":22\n", "big.ini");
  REQUIRE(host.ok());
  CHECK(host->host_names().size() == 1);
}
