// throttle (task, block and play keyword, as Ansible's): at most N hosts run the
// task at once, below --forks; the innermost one set wins; a template is
// rendered with the host's variables; a value that is no number fails the
// task on every host, before it runs anywhere.
#include <catch2/catch.hpp>

#include "engine_run.h"
#include "fake_transport.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/playbook/loader.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;
using namespace std::chrono_literals;

namespace {

struct Said : testing::QuietReporter {
  std::vector<std::string> messages;
  void message(const std::string& m) override { messages.push_back(m); }
};

// The most hosts that ran the playbook's one command at once (6 hosts,
// each command 20 ms, --forks `forks`).
struct Outcome {
  int at_once = 0;
  int failed = 0;
  std::vector<std::string> messages;
};

// `play` is more of the play's keywords, each line indented by two.
Outcome run(const std::string& tasks, int forks = 10, const std::string& play = "") {
  auto inv = inventory::Inventory::parse_ini("a\nb\nc\nd\ne\nf\n", "test.ini");
  REQUIRE(inv.ok());
  auto book = playbook::parse_playbook(
      "- hosts: all\n  gather_facts: false\n  vars: { three: 3 }\n" + play + "  tasks:\n" + tasks, "book.yml");
  REQUIRE(book.ok());
  testing::FakeTransport t;
  for (const char* h : {"a", "b", "c", "d", "e", "f"}) t.hosts[h].delay = 20ms;
  RunOptions options;
  options.forks = forks;
  Said said;
  PlaybookEngine engine(t, *inv, testing::targets_named({"a", "b", "c", "d", "e", "f"}), options, said);
  REQUIRE(testing::run_to_end(engine, *book).ok());
  Outcome o;
  o.at_once = t.max_running;
  for (const auto& [host, s] : engine.stats()) o.failed += s.failed;
  o.messages = said.messages;
  return o;
}

}  // namespace

TEST_CASE("throttle: without it every host runs the task at once, up to --forks", "[orchestrator][throttle]") {
  CHECK(run("    - command: 'true'\n").at_once == 6);
  CHECK(run("    - command: 'true'\n", 4).at_once == 4);
}

TEST_CASE("throttle: a task's throttle bounds the hosts at once, never above --forks", "[orchestrator][throttle]") {
  CHECK(run("    - command: 'true'\n      throttle: 2\n").at_once == 2);
  CHECK(run("    - command: 'true'\n      throttle: 5\n", 3).at_once == 3);
  CHECK(run("    - command: 'true'\n      throttle: 0\n").at_once == 6);  // 0: no limit
}

TEST_CASE("throttle: a block's applies to its tasks; the innermost one set wins", "[orchestrator][throttle]") {
  CHECK(run("    - block:\n        - command: 'true'\n      throttle: 2\n").at_once == 2);
  CHECK(run("    - block:\n        - command: 'true'\n          throttle: 4\n      throttle: 1\n").at_once == 4);
  CHECK(run("    - block:\n        - block:\n            - command: 'true'\n          throttle: 3\n      throttle: 1\n")
            .at_once == 3);
}

TEST_CASE("throttle: a play's applies to every task of it; a block's or a task's wins", "[orchestrator][throttle]") {
  CHECK(run("    - command: 'true'\n", 10, "  throttle: 2\n").at_once == 2);
  CHECK(run("    - command: 'true'\n", 10, "  throttle: \"{{ three }}\"\n").at_once == 3);
  CHECK(run("    - command: 'true'\n      throttle: 4\n", 10, "  throttle: 1\n").at_once == 4);
  CHECK(run("    - block:\n        - command: 'true'\n      throttle: 5\n", 10, "  throttle: 1\n").at_once == 5);
  CHECK(run("    - command: 'true'\n", 3, "  throttle: 0\n").at_once == 3);  // 0: no limit, -f bounds it
}

TEST_CASE("throttle: a template is rendered with the host's variables", "[orchestrator][throttle]") {
  CHECK(run("    - command: 'true'\n      throttle: \"{{ three }}\"\n").at_once == 3);
  CHECK(run("    - command: 'true'\n      throttle: '2'\n").at_once == 2);
}

TEST_CASE("throttle: a value that renders to no number fails the task on every host, run nowhere",
          "[orchestrator][throttle]") {
  const auto o = run("    - command: 'true'\n      throttle: \"{{ 'many' }}\"\n");
  CHECK(o.at_once == 0);
  CHECK(o.failed == 6);
  REQUIRE(!o.messages.empty());
  CHECK(o.messages.front() ==
        "fatal: [a]: FAILED! => book.yml:6:17: Failed to convert the throttle value to an integer: 'many' is not a "
        "number of hosts");
  const auto undefined = run("    - command: 'true'\n      throttle: \"{{ nope }}\"\n");
  CHECK(undefined.failed == 6);
  REQUIRE(!undefined.messages.empty());
  CHECK(undefined.messages.front().find("Failed to convert the throttle value to an integer: ") != std::string::npos);
  CHECK(undefined.messages.front().find("nope") != std::string::npos);
}

TEST_CASE("throttle: a play's template that does not parse is refused before any host is touched",
          "[orchestrator][throttle]") {
  auto inv = inventory::Inventory::parse_ini("a\n", "test.ini");
  REQUIRE(inv.ok());
  auto book = playbook::parse_playbook("- hosts: all\n  throttle: \"{{ n \"\n  tasks:\n    - command: 'true'\n", "book.yml");
  REQUIRE(book.ok());
  testing::FakeTransport t;
  testing::QuietReporter quiet;
  PlaybookEngine engine(t, *inv, testing::targets_named({"a"}), RunOptions{}, quiet);
  auto r = engine.compile(*book);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "book.yml:2:18: unexpected end of template, expected '}}'");
  CHECK(t.max_running == 0);
}
