#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
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

TEST_CASE("load refuses a directory", "[inventory][load]") {
  auto r = Inventory::load("/tmp");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "/tmp: cannot read: Is a directory (inventory directories are not supported)");
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

TEST_CASE("load reads group_vars/ and host_vars/ beside the file", "[inventory][load][vars_dirs]") {
  auto r = Inventory::load(kDir + "/tests/data/inventories/vars-dirs/hosts.ini");
  if (!r.ok()) FAIL(r.error().message());
  using fleetk8s::Value;
  auto cp2 = r->host_vars("cp2");
  // group_vars/all outranks every group's inventory vars; group_vars/k8s_cluster outranks it.
  CHECK(cp2.at("layer") == Value("group_vars-k8s-base"));
  CHECK(cp2.at("all_file") == Value(true));
  CHECK(cp2.at("inv_only") == Value(1));
  CHECK(cp2.at("order") == Value("override"));  // files of a directory in sorted order
  CHECK(cp2.at("nested") == Value(true));       // subdirectories are read
  for (const char* skipped : {"hidden", "backup", "notes", "unused"}) CHECK(cp2.count(skipped) == 0);
  CHECK(r->host_vars("w2").at("layer") == Value("group_vars-workers"));  // file without extension
  CHECK(r->host_vars("w1").at("layer") == Value("host_vars-w1"));        // .json
  CHECK(r->host_vars("cp1").at("from_inventory") == Value("host_vars-file"));
}

TEST_CASE("a bad vars file is an error naming it", "[inventory][load][vars_dirs]") {
  std::string dir = "/tmp/fleetk8s-load-test-vars";
  std::filesystem::create_directories(dir + "/group_vars");
  std::ofstream(dir + "/hosts") << "[web]\nh1\n";
  std::ofstream(dir + "/group_vars/web.yml") << "- not\n- a mapping\n";
  auto r = Inventory::load(dir + "/hosts");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == dir + "/group_vars/web.yml: variables file must be a mapping, got a sequence");
  std::ofstream(dir + "/group_vars/web.yml") << "a: 1\na: 2\n";
  auto dup = Inventory::load(dir + "/hosts");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().message() == dir + "/group_vars/web.yml:2:1: duplicate key \"a\" (first defined on line 1)");
}
