#include <catch2/catch.hpp>

#include "fleetk8s/yaml/node.h"

using fleetk8s::ErrorKind;
using fleetk8s::yaml::Node;
using fleetk8s::yaml::parse;

TEST_CASE("parse builds a tree with 1-based positions", "[yaml]") {
  auto r = parse("a: 1\nlist:\n  - x\n  - 'y'\nempty:\n", "t.yml");
  REQUIRE(r.ok());
  const Node& root = *r;
  REQUIRE(root.kind() == Node::Kind::kMap);
  REQUIRE(root.entries().size() == 3);
  CHECK(root.entries()[0].first.scalar() == "a");
  CHECK(root.entries()[1].first.scalar() == "list");
  CHECK(root.entries()[2].first.scalar() == "empty");

  const Node* list = root.get("list");
  REQUIRE(list != nullptr);
  REQUIRE(list->is_sequence());
  REQUIRE(list->items().size() == 2);
  CHECK(list->items()[0].scalar() == "x");
  CHECK_FALSE(list->items()[0].quoted());
  CHECK(list->items()[1].quoted());
  CHECK(list->items()[1].mark().line == 4);
  CHECK(list->items()[1].mark().column == 5);
  CHECK(root.get("a")->mark().line == 1);
  CHECK(root.get("a")->mark().column == 4);
  CHECK(root.get("empty")->is_null());
  CHECK(root.get("missing") == nullptr);
}

TEST_CASE("parse keeps map entries in document order", "[yaml]") {
  auto r = parse("zeta: 1\nalpha: 2\nmid: 3\n", "t.yml");
  REQUIRE(r.ok());
  std::vector<std::string> keys;
  for (const auto& [k, v] : r->entries()) keys.push_back(k.scalar());
  CHECK(keys == std::vector<std::string>{"zeta", "alpha", "mid"});
}

TEST_CASE("block scalars count as quoted", "[yaml]") {
  auto r = parse("a: |\n  yes\n", "t.yml");
  REQUIRE(r.ok());
  CHECK(r->get("a")->quoted());
  CHECK(r->get("a")->scalar() == "yes\n");
}

TEST_CASE("aliases expand to copies of the anchored node", "[yaml]") {
  auto r = parse("base: &b {x: 1}\nother: *b\n", "t.yml");
  REQUIRE(r.ok());
  const Node* other = r->get("other");
  REQUIRE(other != nullptr);
  REQUIRE(other->is_map());
  CHECK(other->get("x")->scalar() == "1");
}

TEST_CASE("explicit tags are kept", "[yaml]") {
  auto r = parse("a: !!str 1\nb: !unsafe '{{ x }}'\n", "t.yml");
  REQUIRE(r.ok());
  CHECK(r->get("a")->tag() == "tag:yaml.org,2002:str");
  CHECK(r->get("b")->tag() == "!unsafe");
  CHECK(r->get("b")->scalar() == "{{ x }}");
}

TEST_CASE("empty text is a null document", "[yaml]") {
  auto r = parse("", "t.yml");
  REQUIRE(r.ok());
  CHECK(r->is_null());
  auto c = parse("# only a comment\n", "t.yml");
  REQUIRE(c.ok());
  CHECK(c->is_null());
}

TEST_CASE("duplicate keys are an error naming both lines", "[yaml]") {
  auto r = parse("a: 1\nb: 2\na: 3\n", "dup.yml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kInvalidInput);
  CHECK(r.error().message() == "dup.yml:3:1: duplicate key \"a\" (first defined on line 1)");
}

TEST_CASE("duplicate keys in nested maps are found too", "[yaml]") {
  auto r = parse("all:\n  hosts:\n    h1:\n    h1:\n", "dup.yml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "dup.yml:4:5: duplicate key \"h1\" (first defined on line 3)");
}

TEST_CASE("syntax errors carry source, line and column", "[yaml]") {
  auto r = parse("a: [1, 2\nb: 3\n", "bad.yml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kInvalidInput);
  CHECK(r.error().message().rfind("bad.yml:", 0) == 0);
  auto r2 = parse("a: 1\n  b: 2\n", "bad.yml");
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message().rfind("bad.yml:2:", 0) == 0);
}

TEST_CASE("more than one document is an error", "[yaml]") {
  auto r = parse("a: 1\n---\nb: 2\n", "multi.yml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "multi.yml:3:1: expected a single document, found another");
}

TEST_CASE("load_file reports unreadable files", "[yaml]") {
  auto r = fleetk8s::yaml::load_file("/nonexistent/x.yml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kNotFound);
  CHECK(r.error().message() == "/nonexistent/x.yml: cannot read: No such file or directory");
}

TEST_CASE("load_file refuses a directory", "[yaml]") {
  auto r = fleetk8s::yaml::load_file("/tmp");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "/tmp: cannot read: Is a directory");
}

TEST_CASE("load_file parses a file with its path as source", "[yaml]") {
  auto r = fleetk8s::yaml::load_file(FLEETK8S_SOURCE_DIR "/inventories/example.yml");
  REQUIRE(r.ok());
  CHECK(r->is_map());
}
