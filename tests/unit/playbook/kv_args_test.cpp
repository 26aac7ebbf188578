#include <catch2/catch.hpp>

#include "fleetk8s/playbook/kv_args.h"

using fleetk8s::Value;
using fleetk8s::playbook::parse_kv;
using fleetk8s::playbook::split_args;

namespace {

std::vector<std::string> split(const std::string& s) {
  auto r = split_args(s);
  REQUIRE(r.ok());
  return *r;
}

Value::Object kv(const std::string& s, bool check_raw = false) {
  auto r = parse_kv(s, check_raw);
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("split_args keeps quotes and Jinja blocks whole", "[playbook][kv]") {
  CHECK(split("a=b c=\"foo bar\"") == std::vector<std::string>{"a=b", "c=\"foo bar\""});
  CHECK(split("msg={{ a | default('x y') }} z") == std::vector<std::string>{"msg={{ a | default('x y') }}", "z"});
  CHECK(split("{{ a }} {{ b }}") == std::vector<std::string>{"{{ a }}", "{{ b }}"});
  CHECK(split("x={{ a }} y={{ b }}") == std::vector<std::string>{"x={{ a }}", "y={{ b }}"});
  // As Ansible: a block whose text is split by a space does not stay whole.
  CHECK(split("{% if x %}a b{% endif %}") == std::vector<std::string>{"{% if x %}a", "b{% endif %}"});
  CHECK(split("a  b") == std::vector<std::string>{"a ", "b"});
  CHECK(split("a\nb c") == std::vector<std::string>{"a\n", "b", "c"});
  CHECK(split("echo 'a\nb'") == std::vector<std::string>{"echo", "'a\nb'"});
}

TEST_CASE("split_args rejects unbalanced quotes and blocks", "[playbook][kv]") {
  auto r = split_args("echo \"hi");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "failed at splitting arguments, either an unbalanced jinja2 block or quotes: echo \"hi");
  CHECK_FALSE(split_args("{{ x").ok());
}

TEST_CASE("parse_kv splits key=value pairs", "[playbook][kv]") {
  Value::Object o = kv("src=a dest='b c' mode=0644");
  CHECK(o == Value::Object{{"src", "a"}, {"dest", "b c"}, {"mode", "0644"}});
  CHECK(kv("line=a\\tb")["line"] == Value("a\tb"));
  CHECK(kv("x=\\u00e9")["x"] == Value("\xc3\xa9"));
  CHECK(kv("a\\=b=c") == Value::Object{{"a\\=b", "c"}});
  CHECK(kv("flush_handlers") == Value::Object{{"_raw_params", "flush_handlers"}});
}

TEST_CASE("parse_kv with check_raw keeps the command whole", "[playbook][kv]") {
  Value::Object o = kv("echo a=b \"x y\" creates=/tmp/x chdir=/tmp", true);
  CHECK(o == Value::Object{{"_raw_params", "echo a=b \"x y\""}, {"creates", "/tmp/x"}, {"chdir", "/tmp"}});
  CHECK(kv("ls -l | grep x=1", true) == Value::Object{{"_raw_params", "ls -l | grep x=1"}});
  CHECK(kv("cat\nfile executable=/bin/bash", true) ==
        Value::Object{{"_raw_params", "cat\nfile"}, {"executable", "/bin/bash"}});
}
