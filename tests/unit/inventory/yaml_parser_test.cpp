#include <catch2/catch.hpp>

#include "fleetk8s/inventory/inventory.h"

using fleetk8s::ErrorKind;
using fleetk8s::Value;
using fleetk8s::inventory::Inventory;

namespace {

Inventory yml(const std::string& text) {
  auto r = Inventory::parse_yaml(text, "inv.yml");
  if (!r.ok()) FAIL(r.error().message());
  return std::move(*r);
}

std::string yml_error(const std::string& text) {
  auto r = Inventory::parse_yaml(text, "inv.yml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kInvalidInput);
  return r.error().message();
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("YAML: groups, children, hosts and vars", "[inventory][yaml]") {
  Inventory inv = yml(
      "all:\n"
      "  vars: {cluster: demo}\n"
      "  hosts:\n"
      "    bastion:\n"
      "  children:\n"
      "    k8s:\n"
      "      children:\n"
      "        control:\n"
      "          hosts:\n"
      "            cp1: {ansible_host: 10.0.0.1, node_ip: 10.0.0.1}\n"
      "        workers:\n"
      "          hosts:\n"
      "            w[1:2]:\n"
      "              gpu: yes\n"
      "      vars:\n"
      "        kube_version: '1.29'\n"
      "        pods: 10.244.0.0/16\n");
  CHECK(inv.host_names() == Names{"bastion", "cp1", "w1", "w2"});
  CHECK(inv.find_group("ungrouped")->hosts == Names{"bastion"});
  CHECK(inv.find_group("all")->children == Names{"ungrouped", "k8s"});
  CHECK(inv.find_group("k8s")->children == Names{"control", "workers"});
  auto vars = inv.host_vars("w2");
  CHECK(vars.at("gpu") == Value(true));
  CHECK(vars.at("kube_version") == Value("1.29"));
  CHECK(vars.at("pods") == Value("10.244.0.0/16"));
  CHECK(vars.at("cluster") == Value("demo"));
  CHECK(inv.host_vars("cp1").at("ansible_host") == Value("10.0.0.1"));
}

TEST_CASE("YAML: bare strings for hosts and children, null sections", "[inventory][yaml]") {
  Inventory inv = yml(
      "web:\n  hosts: web1\n"
      "db:\n  hosts:\n  vars:\n  children:\n"
      "site:\n  children: web\n"
      "empty:\n");
  CHECK(inv.find_group("web")->hosts == Names{"web1"});
  CHECK(inv.find_group("site")->children == Names{"web"});
  CHECK(inv.find_group("all")->children == Names{"ungrouped", "db", "site", "empty"});
}

TEST_CASE("YAML: host:port keys, ranges and a host defined twice", "[inventory][yaml]") {
  Inventory inv = yml(
      "a:\n  hosts:\n    h1:2222:\n    db-[a:b]:\n      x: 1\n"
      "b:\n  hosts:\n    h1:\n      y: 2\n    db-a:\n      x: 3\n");
  CHECK(inv.host_names() == Names{"h1", "db-a", "db-b"});
  CHECK(inv.host_vars("h1").at("ansible_port") == Value(2222));
  CHECK(inv.host_vars("h1").at("y") == Value(2));
  CHECK(inv.host_vars("db-a").at("x") == Value(3));
  CHECK(inv.host_vars("db-b").at("x") == Value(1));
}

TEST_CASE("YAML: an empty file is an empty inventory", "[inventory][yaml]") {
  Inventory inv = yml("# nothing yet\n");
  CHECK(inv.host_names().empty());
  CHECK(inv.group_names() == Names{"all", "ungrouped"});
}

TEST_CASE("YAML: errors carry file, line and column", "[inventory][yaml][errors]") {
  CHECK(yml_error("- a\n- b\n") == "inv.yml:1:1: a YAML inventory must be a mapping of groups, got a sequence");
  CHECK(yml_error("plugin: aws_ec2\n") ==
        "inv.yml:1:9: inventory plugin configurations are not supported, only static inventories");
  CHECK(yml_error("web:\n  - h1\n") ==
        "inv.yml:2:3: group \"web\" must be a mapping with hosts, vars or children, got a sequence");
  CHECK(yml_error("web:\n  host:\n    h1:\n") ==
        "inv.yml:2:3: group \"web\" has unexpected key \"host\" (expected hosts, vars or children)");
  CHECK(yml_error("web:\n  hosts: [h1, h2]\n") ==
        "inv.yml:2:10: \"hosts\" of group \"web\" must be a mapping, got a sequence");
  CHECK(yml_error("web:\n  hosts:\n    h1: [a]\n") ==
        "inv.yml:3:9: variables of host \"h1\" must be a mapping, got [\"a\"]");
  CHECK(yml_error("web:\n  hosts:\n    123:\n") ==
        "inv.yml:3:5: host name 123 must be a string; put it in quotes");
  CHECK(yml_error("web:\n  hosts:\n    web[3:1]:\n") ==
        "inv.yml:3:5: bad host range [3:1]: begin must not be greater than end");
  CHECK(yml_error("web:\n  hosts:\n    h1:\n    h1:\n") ==
        "inv.yml:4:5: duplicate key \"h1\" (first defined on line 3)");
  CHECK(yml_error("web:\n  vars:\n    ansible_group_priority: high\n") ==
        "inv.yml:3:29: ansible_group_priority must be an integer, got \"high\"");
  CHECK(yml_error("web: {hosts: {a: }\n").rfind("inv.yml:", 0) == 0);
}

TEST_CASE("YAML: group cycles are rejected", "[inventory][yaml][errors]") {
  // As in Ansible, b is added under a only once b's own children are read.
  CHECK(yml_error("a:\n  children:\n    b:\n      children:\n        a:\n") ==
        "inv.yml:3:5: adding group \"b\" to \"a\" creates a cycle: a -> b -> a");
}
