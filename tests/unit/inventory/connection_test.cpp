#include <catch2/catch.hpp>

#include <cstdlib>

#include "fleetk8s/inventory/connection.h"
#include "fleetk8s/inventory/inventory.h"

using fleetk8s::ErrorKind;
using fleetk8s::inventory::connection_for;
using fleetk8s::inventory::Inventory;

namespace {

Inventory inv(const std::string& text) {
  auto r = Inventory::parse_ini(text, "inv.ini");
  if (!r.ok()) FAIL(r.error().message());
  return std::move(*r);
}

}  // namespace

TEST_CASE("connection defaults", "[inventory][connection]") {
  auto c = connection_for(inv("web1\n"), "web1");
  REQUIRE(c.ok());
  CHECK(c->name == "web1");
  CHECK(c->address == "web1");
  CHECK(c->port == 22);
  CHECK(c->user.empty());
  CHECK_FALSE(c->private_key_file);
  CHECK_FALSE(c->password);
  CHECK_FALSE(c->become);
  CHECK(c->become_user == "root");
  CHECK_FALSE(c->become_password);
  CHECK_FALSE(c->known_hosts_file);
}

TEST_CASE("connection settings from group and host variables", "[inventory][connection]") {
  ::setenv("HOME", "/home/tester", 1);
  Inventory i = inv(
      "[k8s]\n"
      "cp1 ansible_host=10.0.0.1 ansible_port=2222\n"
      "cp2:2200 ansible_ssh_host=10.0.0.2 ansible_ssh_user=other ansible_ssh_pass=secret\n"
      "[k8s:vars]\n"
      "ansible_user=fleet\n"
      "ansible_become=yes\n"
      "ansible_become_user=admin\n"
      "ansible_become_pass=sudo-secret\n"
      "ansible_ssh_private_key_file=~/.ssh/fleet\n"
      "fleetk8s_known_hosts=~/.ssh/fleet_known_hosts\n");
  auto c1 = connection_for(i, "cp1");
  REQUIRE(c1.ok());
  CHECK(c1->address == "10.0.0.1");
  CHECK(c1->port == 2222);
  CHECK(c1->user == "fleet");
  CHECK(c1->become);
  CHECK(c1->become_user == "admin");
  CHECK(c1->become_password == std::optional<std::string>("sudo-secret"));
  CHECK(c1->private_key_file == std::optional<std::string>("/home/tester/.ssh/fleet"));
  CHECK(c1->known_hosts_file == std::optional<std::string>("/home/tester/.ssh/fleet_known_hosts"));

  auto c2 = connection_for(i, "cp2");
  REQUIRE(c2.ok());
  CHECK(c2->address == "10.0.0.2");
  CHECK(c2->port == 2200);
  CHECK(c2->user == "other");  // the later alias wins, as in Ansible's ssh plugin
  CHECK(c2->password == std::optional<std::string>("secret"));
}

TEST_CASE("connection errors name the host and the variable", "[inventory][connection]") {
  auto bad_port = connection_for(inv("h ansible_port=ssh\n"), "h");
  REQUIRE_FALSE(bad_port.ok());
  CHECK(bad_port.error().kind() == ErrorKind::kInvalidInput);
  CHECK(bad_port.error().message() == "h: ansible_port must be a number from 1 to 65535, got \"ssh\"");

  auto too_big = connection_for(inv("h ansible_ssh_port=70000\n"), "h");
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().message() == "h: ansible_ssh_port must be a number from 1 to 65535, got 70000");

  auto bad_become = connection_for(inv("h ansible_become=maybe\n"), "h");
  REQUIRE_FALSE(bad_become.ok());
  CHECK(bad_become.error().message() == "h: ansible_become must be a boolean (true/false, yes/no), got \"maybe\"");

  auto bad_user = connection_for(inv("h ansible_user=[1]\n"), "h");
  REQUIRE_FALSE(bad_user.ok());
  CHECK(bad_user.error().message() == "h: ansible_user must be a string, got [1]");

  auto unknown = connection_for(inv("h\n"), "nobody");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind() == ErrorKind::kNotFound);
  CHECK(unknown.error().message() == "nobody: not in the inventory");
}

TEST_CASE("a port given as a string is accepted", "[inventory][connection]") {
  auto r = Inventory::parse_yaml("all:\n  hosts:\n    h:\n      ansible_port: '2022'\n", "inv.yml");
  REQUIRE(r.ok());
  auto c = connection_for(*r, "h");
  REQUIRE(c.ok());
  CHECK(c->port == 2022);
}
