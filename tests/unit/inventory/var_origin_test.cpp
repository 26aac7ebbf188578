// Where variables and group memberships were written, for one-line messages.
#include <catch2/catch.hpp>

#include "fleetk8s/inventory/inventory.h"

using fleetk8s::inventory::Inventory;

TEST_CASE("the INI reader records the line of each variable and membership") {
  auto inv = Inventory::parse_ini(
      "[control_plane]\n"
      "cp1 ansible_host=10.0.0.1 node_ip=192.168.56.10\n"
      "[workers]\n"
      "w1\n"
      "cp1\n"
      "[all:vars]\n"
      "kubernetes_version=\"1.30\"\n"
      "[workers:vars]\n"
      "firewall_mode=trusted\n",
      "inv.ini");
  REQUIRE(inv.ok());
  CHECK(inv->var_origin("cp1", "node_ip") == "inv.ini:2");
  CHECK(inv->var_origin("cp1", "kubernetes_version") == "inv.ini:7");
  CHECK(inv->var_origin("w1", "firewall_mode") == "inv.ini:9");
  CHECK(inv->var_origin("cp1", "firewall_mode") == "inv.ini:9");  // cp1 is a worker too
  CHECK(inv->var_origin("w1", "node_ip").empty());
  CHECK(inv->var_origin("nosuch", "node_ip").empty());
  CHECK(inv->member_origin("control_plane", "cp1") == "inv.ini:2");
  CHECK(inv->member_origin("workers", "cp1") == "inv.ini:5");
  CHECK(inv->member_origin("workers", "nosuch").empty());
}

TEST_CASE("the winning layer names the place: a host's own variable beats its group's") {
  auto inv = Inventory::parse_ini(
      "[all:vars]\n"
      "cluster_name=prod\n"
      "[g]\n"
      "h1 cluster_name=dev\n"
      "h2\n",
      "inv.ini");
  REQUIRE(inv.ok());
  CHECK(inv->var_origin("h1", "cluster_name") == "inv.ini:4");
  CHECK(inv->var_origin("h2", "cluster_name") == "inv.ini:2");
}

TEST_CASE("the YAML reader records the line of each variable and membership") {
  auto inv = Inventory::parse_yaml(
      "all:\n"
      "  vars:\n"
      "    kubernetes_version: banana\n"
      "  children:\n"
      "    control_plane:\n"
      "      hosts:\n"
      "        cp1:\n"
      "          node_ip: 10.0.0.1\n"
      "    workers:\n"
      "      hosts:\n"
      "        cp1:\n",
      "inv.yml");
  REQUIRE(inv.ok());
  CHECK(inv->var_origin("cp1", "kubernetes_version") == "inv.yml:3");
  CHECK(inv->var_origin("cp1", "node_ip") == "inv.yml:8");
  CHECK(inv->member_origin("control_plane", "cp1") == "inv.yml:7");
  CHECK(inv->member_origin("workers", "cp1") == "inv.yml:11");
}

TEST_CASE("variables from group_vars/ and host_vars/ name their directory") {
  auto inv = Inventory::parse_ini("[g]\nh1 a=1\n[g:vars]\nb=2\n", "inv.ini");
  REQUIRE(inv.ok());
  inv->set_group_vars_file("g", {{"b", fleetk8s::Value(3)}});
  inv->set_host_vars_file("h1", {{"a", fleetk8s::Value(4)}});
  CHECK(inv->var_origin("h1", "b") == "group_vars/g");
  CHECK(inv->var_origin("h1", "a") == "host_vars/h1");
}
