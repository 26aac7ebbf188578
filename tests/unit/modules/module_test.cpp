#include <catch2/catch.hpp>

#include "fleetk8s/modules/module.h"

using namespace fleetk8s;
using namespace fleetk8s::modules;

namespace {
Value::Object args(std::initializer_list<std::pair<const std::string, Value>> kv) { return Value::Object(kv); }
CommandResult ran(int rc, std::string out = "", std::string err = "") {
  CommandResult r;
  r.exit_status = rc;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}
}  // namespace

TEST_CASE("the host-side modules are registered; controller-side ones are not") {
  for (const char* m : {"command", "shell", "raw", "copy", "file"}) CHECK(find_module(m) != nullptr);
  CHECK(find_module("debug") == nullptr);
  CHECK(find_module("cpy") == nullptr);
}

TEST_CASE("the exit status protocol") {
  const Module* m = find_module("file");
  CHECK_FALSE(m->interpret(ran(0), {}, {}).changed);
  CHECK(m->interpret(ran(100), {}, {}).changed);
  auto skipped = m->interpret(ran(101, "skipped, because\n"), {}, {});
  CHECK(skipped.skipped);
  CHECK(skipped.msg == "skipped, because");
  auto failed = m->interpret(ran(1, "", "no such thing\n"), {}, {});
  CHECK(failed.failed);
  CHECK(failed.msg == "no such thing");
  auto diff = m->interpret(ran(100, "--- a\n+++ b\n"), {}, {false, true});
  CHECK(diff.diff == "--- a\n+++ b\n");
  CommandResult killed = ran(0);
  killed.exit_signal = "KILL";
  CHECK(m->interpret(killed, {}, {}).failed);
}

TEST_CASE("module arguments are checked when the script is made") {
  CHECK_FALSE(find_module("copy")->script(args({{"content", "x"}}), {}).ok());
  CHECK_FALSE(find_module("file")->script(args({{"path", "/x"}, {"state", "dir"}}), {}).ok());
  auto bad_mode = find_module("copy")->script(args({{"dest", "/x"}, {"content", "x"}, {"mode", "rw-r"}}), {});
  REQUIRE_FALSE(bad_mode.ok());
  CHECK_THAT(bad_mode.error().message(), Catch::Contains("mode must be octal"));
  CHECK_FALSE(find_module("command")->script({}, {}).ok());
}

TEST_CASE("command output becomes registered fields") {
  const Module* m = find_module("command");
  auto o = m->interpret(ran(0, "a\nb\n", "w\n"), {}, {});
  CHECK(o.changed);
  CHECK(o.result["stdout"] == Value("a\nb"));
  CHECK(o.result["stdout_lines"] == Value(Value::Array{"a", "b"}));
  CHECK(o.result["stderr_lines"] == Value(Value::Array{"w"}));
  auto f = m->interpret(ran(2), {}, {});
  CHECK(f.failed);
  CHECK(f.result["rc"] == Value(2));
}

TEST_CASE("command in check mode does not run") {
  auto s = find_module("shell")->script(args({{"_raw_params", "rm -rf /important"}}), {true, false});
  REQUIRE(s.ok());
  CHECK(s->find("rm -rf") == std::string::npos);
}
