#include <catch2/catch.hpp>

#include "fleetk8s/inventory/inventory.h"

using fleetk8s::Value;
using fleetk8s::inventory::Inventory;

TEST_CASE("to_ansible_list has ansible-inventory's shape", "[inventory][list]") {
  auto r = Inventory::parse_ini(
      "solo a=1\n"
      "[web]\nweb1\n"
      "[site:children]\nweb\n"
      "[empty]\n"
      "[site:vars]\nx=2\n",
      "inv.ini");
  REQUIRE(r.ok());
  Value expected = Value(Value::Object{
      {"_meta", Value(Value::Object{{"hostvars", Value(Value::Object{
                                                     {"solo", Value(Value::Object{{"a", Value(1)}})},
                                                     {"web1", Value(Value::Object{{"x", Value(2)}})},
                                                 })}})},
      // Empty groups are children of all but have no entry of their own.
      {"all", Value(Value::Object{{"children", Value(Value::Array{Value("ungrouped"), Value("site"),
                                                                  Value("empty")})}})},
      {"site", Value(Value::Object{{"children", Value(Value::Array{Value("web")})}})},
      {"ungrouped", Value(Value::Object{{"hosts", Value(Value::Array{Value("solo")})}})},
      {"web", Value(Value::Object{{"hosts", Value(Value::Array{Value("web1")})}})},
  });
  CHECK(r->to_ansible_list().to_json(2) == expected.to_json(2));
}

TEST_CASE("to_ansible_list of an empty inventory", "[inventory][list]") {
  Inventory inv;
  CHECK(inv.to_ansible_list().to_json() ==
        R"({"_meta":{"hostvars":{}},"all":{"children":["ungrouped"]}})");
}

TEST_CASE("to_ansible_list leaves out Ansible's internal variables", "[inventory][list]") {
  auto r = Inventory::parse_ini("h group_names=x inventory_hostname=y omit=z keep=1\n", "inv.ini");
  REQUIRE(r.ok());
  CHECK(r->to_ansible_list().find("_meta")->find("hostvars")->find("h")->to_json() == R"({"keep":1})");
}
