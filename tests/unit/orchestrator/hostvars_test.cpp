// hostvars in a run: each host's entry follows its set_fact, register and
// facts as the run goes, whichever host reads it (the entries are rebuilt
// per host that changed, not all at once).
#include <catch2/catch.hpp>

#include "engine_run.h"
#include "fake_transport.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/playbook_engine.h"
#include "fleetk8s/playbook/loader.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;

namespace {

// The debug messages each host printed, in order.
struct DebugRecorder : report::PlaybookReporter {
  std::map<std::string, std::vector<std::string>> said;
  void play_start(const std::string&) override {}
  void task_start(const std::string&, const std::string&) override {}
  void task_result(const report::TaskResultEvent& e) override {
    const Value* msg = e.result.is_object() ? e.result.find("msg") : nullptr;
    if (e.always_show && msg) said[e.host].push_back(msg->to_display());  // debug's
  }
  void message(const std::string&) override {}
  void recap(const std::vector<std::pair<std::string, report::HostStats>>&) override {}
};

}  // namespace

TEST_CASE("hostvars follows every host's set_fact and register as the run goes", "[orchestrator][hostvars]") {
  auto inv = inventory::Inventory::parse_ini("a\nb\nc\n", "test.ini");
  REQUIRE(inv.ok());
  auto book = playbook::parse_playbook(R"(- hosts: all
  gather_facts: false
  tasks:
    - set_fact: { x: "{{ inventory_hostname }}-1" }
    - debug: { msg: "{{ hostvars['b'].x }} {{ hostvars[inventory_hostname].x }}" }
    - set_fact: { x: b-2 }
      when: inventory_hostname == 'b'
    - debug: { msg: "{{ hostvars['b'].x }} {{ hostvars['a'].x }}" }
    - assert: { that: [true], success_msg: from-c }
      register: out
      when: inventory_hostname == 'c'
    - debug: { msg: "{{ hostvars['c'].out.msg }} {{ hostvars['a'].out.skipped }}" }
    - set_fact: { x: "{{ x }}-3" }
    - debug: { msg: "{{ hostvars['a'].x }},{{ hostvars['b'].x }},{{ hostvars['c'].x }}" }
)",
                                       "book.yml");
  REQUIRE(book.ok());
  testing::FakeTransport t;
  RunOptions options;
  DebugRecorder reporter;
  PlaybookEngine engine(t, *inv, testing::targets_named({"a", "b", "c"}), options, reporter);
  REQUIRE(testing::run_to_end(engine, *book).ok());
  for (const char* h : {"a", "b", "c"}) {
    INFO(h);
    const auto& said = reporter.said[h];
    for (const auto& m : said) UNSCOPED_INFO(m);
    REQUIRE(said.size() == 4);
    CHECK(said[0] == std::string("b-1 ") + h + "-1");
    CHECK(said[1] == "b-2 a-1");
    CHECK(said[2] == "from-c True");  // a skipped task registers too
    CHECK(said[3] == "a-1-3,b-2-3,c-1-3");
  }
}
