// The task keyword `timeout` (seconds; 0 or absent: none), as Ansible's.
#include <catch2/catch.hpp>

#include "fleetk8s/playbook/loader.h"

using namespace fleetk8s;

namespace {
Result<playbook::Playbook> with_timeout(const std::string& value) {
  return playbook::parse_playbook("- hosts: all\n  tasks:\n    - command: sleep 30\n      timeout: " + value + "\n",
                                  "book.yml");
}
}  // namespace

TEST_CASE("timeout: whole seconds, inherited from blocks, never negative", "[keywords]") {
  auto ok = with_timeout("2");
  REQUIRE(ok.ok());
  CHECK(ok->plays[0].tasks[0].timeout == 2);
  auto block = playbook::parse_playbook(
      "- hosts: all\n  tasks:\n    - block:\n        - command: sleep 30\n      timeout: 5\n", "book.yml");
  REQUIRE(block.ok());
  CHECK(block->plays[0].tasks[0].timeout == 5);
  for (const char* bad : {"-1", "soon", "[1]"}) {
    INFO(bad);
    auto r = with_timeout(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message(), Catch::StartsWith("book.yml:4:16: timeout"));
  }
}
