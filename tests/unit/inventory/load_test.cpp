#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "fleetk8s/inventory/inventory.h"

using fleetk8s::ErrorKind;
using fleetk8s::inventory::Inventory;

namespace {

const std::string kDir = FLEETK8S_SOURCE_DIR;

std::string temp_file(const std::string& name, const std::string& text) {
  std::string path = "/tmp/fleetk8s-load-test-" + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("load reads the sample inventories", "[inventory][load]") {
  auto ini = Inventory::load(kDir + "/inventories/example.ini");
  REQUIRE(ini.ok());
  auto yml = Inventory::load(kDir + "/inventories/example.yml");
  REQUIRE(yml.ok());
  CHECK(ini->to_ansible_list() == yml->to_ansible_list());
  CHECK(ini->find_group("k8s_cluster")->children == std::vector<std::string>{"control_plane", "workers"});
  CHECK(ini->host_vars("cp1").at("pod_network_cidr").as_string() == "10.244.0.0/16");
}

TEST_CASE("load picks the format by extension, else by content", "[inventory][load]") {
  auto yaml_noext = Inventory::load(temp_file("yaml", "all:\n  hosts:\n    h1:\n"));
  REQUIRE(yaml_noext.ok());
  CHECK(yaml_noext->has_host("h1"));
  auto ini_noext = Inventory::load(temp_file("ini", "[web]\nh2 a=1\n"));
  REQUIRE(ini_noext.ok());
  CHECK(ini_noext->has_host("h2"));
  auto hosts_only = Inventory::load(temp_file("hosts", "h3\nh4\n"));
  REQUIRE(hosts_only.ok());
  CHECK(hosts_only->host_names() == std::vector<std::string>{"h3", "h4"});
  // A .yml file is YAML even when broken: its error is a YAML error.
  std::string broken = temp_file("broken.yml", "[web]\nh1\n");
  auto bad = Inventory::load(broken);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message().rfind(broken + ":2:1: ", 0) == 0);
}

TEST_CASE("load reports a missing file", "[inventory][load]") {
  auto r = Inventory::load("/nonexistent/hosts.ini");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kNotFound);
  CHECK(r.error().message() == "/nonexistent/hosts.ini: cannot read: No such file or directory");
}

TEST_CASE("load errors name the file", "[inventory][load]") {
  auto r = Inventory::load(kDir + "/tests/data/inventories/cycle-invalid.ini");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == kDir + "/tests/data/inventories/cycle-invalid.ini:10: adding group \"k8s_cluster\" "
                                      "to \"workers\" creates a cycle: workers -> k8s_cluster -> workers\n"
                                      "    k8s_cluster");
}

TEST_CASE("the feature samples parse", "[inventory][load]") {
  for (const char* name : {"features.ini", "features.yml", "precedence.ini", "precedence.yml"}) {
    INFO(name);
    auto r = Inventory::load(kDir + "/tests/data/inventories/" + name);
    if (!r.ok()) FAIL(r.error().message());
  }
}
