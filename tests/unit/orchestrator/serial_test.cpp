// serial: the play's hosts in batches, each batch through every task before
// the next starts; a template is rendered (with the play's variables and
// -e), as Ansible renders it, and a value that is no batch size stops the run.
#include <catch2/catch.hpp>

#include "engine_run.h"
#include "fake_transport.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/playbook/loader.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;
using namespace std::chrono_literals;

namespace {

// The most hosts that ran the play's command at once (6 hosts, --forks 10),
// or the run's error.
Result<int> at_once(const std::string& serial, Value::Object extra = {}) {
  auto inv = inventory::Inventory::parse_ini("a\nb\nc\nd\ne\nf\n", "test.ini");
  REQUIRE(inv.ok());
  auto book = playbook::parse_playbook("- hosts: all\n  gather_facts: false\n  vars: { two: 2 }\n  serial: " + serial +
                                           "\n  tasks:\n    - command: 'true'\n",
                                       "book.yml");
  REQUIRE(book.ok());
  testing::FakeTransport t;
  for (const char* h : {"a", "b", "c", "d", "e", "f"}) t.hosts[h].delay = 20ms;
  RunOptions options;
  options.forks = 10;
  options.extra_vars = std::move(extra);
  testing::QuietReporter quiet;
  PlaybookEngine engine(t, *inv, testing::targets_named({"a", "b", "c", "d", "e", "f"}), options, quiet);
  auto r = testing::run_to_end(engine, *book);
  if (!r) return r.error();
  return t.max_running;
}

}  // namespace

TEST_CASE("serial: a number or a percentage of the play's hosts per batch", "[orchestrator][serial]") {
  CHECK(*at_once("2") == 2);
  CHECK(*at_once("'50%'") == 3);
  CHECK(*at_once("[1, 5]") == 5);
}

TEST_CASE("serial: a template is rendered with the play's variables and -e", "[orchestrator][serial]") {
  CHECK(*at_once("\"{{ two }}\"") == 2);
  CHECK(*at_once("\"{{ batch }}\"", {{"batch", Value("3")}}) == 3);
  CHECK(*at_once("\"{{ pct }}\"", {{"pct", Value("50%")}}) == 3);
}

TEST_CASE("serial: a template that renders to no batch size stops the run", "[orchestrator][serial]") {
  auto r = at_once("\"{{ 'many' }}\"");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "book.yml:4:11: serial is 'many': expected a number of hosts or a percentage like '30%'");
  auto undefined = at_once("\"{{ nope }}\"");
  REQUIRE_FALSE(undefined.ok());
  CHECK_THAT(undefined.error().message(), Catch::Contains("nope"));
}
