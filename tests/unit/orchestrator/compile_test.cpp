// What compile() refuses before any host is touched: environment names sh
// cannot export (tests/security/command-test.sh runs them on real hosts).
#include <catch2/catch.hpp>

#include "fleetk8s/playbook/loader.h"
#include "run_state.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;

namespace {

// compile_task of the first task of a one-play playbook.
Result<CompiledTask> compile_first(const std::string& yaml, playbook::Playbook& book) {
  auto parsed = playbook::parse_playbook(yaml, "book.yml");
  INFO((parsed.ok() ? std::string() : parsed.error().message()));
  REQUIRE(parsed.ok());
  book = std::move(*parsed);
  return compile_task(book.plays.at(0).tasks.at(0));
}

std::string with_environment(const std::string& env) {
  return "- hosts: all\n"
         "  tasks:\n"
         "    - command: echo hi\n"
         "      environment:\n" + env;
}

}  // namespace

TEST_CASE("environment names: POSIX names only, the place named", "[compile]") {
  for (const char* bad : {"\"A;touch /tmp/x;B\"", "\"1ABC\"", "\"A-B\"", "\"A B\"", "\"A=B\"", "\"$(x)\"", "\"\""}) {
    INFO(bad);
    playbook::Playbook book;
    auto ct = compile_first(with_environment(std::string("        ") + bad + ": x\n"), book);
    REQUIRE_FALSE(ct.ok());
    CHECK_THAT(ct.error().message(), Catch::StartsWith("book.yml:5:9: environment: '"));
    CHECK_THAT(ct.error().message(), Catch::Contains("is not a valid environment variable name"));
  }
  for (const char* good : {"HTTP_PROXY", "_x1", "a"}) {
    INFO(good);
    playbook::Playbook book;
    CHECK(compile_first(with_environment(std::string("        ") + good + ": \"$(x) ';\"\n"), book).ok());
  }
}

TEST_CASE("environment names from templates are left for run time", "[compile]") {
  playbook::Playbook book;
  CHECK(compile_first(with_environment("        \"{{ name }}\": x\n"), book).ok());
  CHECK(compile_first(with_environment("        \"{{ env_map }}\"\n"), book).ok());
  CHECK(check_environment_name("A B", "book.yml:3:7").error().message() ==
        "book.yml:3:7: environment: 'A B' is not a valid environment variable name: use letters, digits and _, "
        "not starting with a digit");
  CHECK(check_environment_name("PATH", "x").ok());
}

TEST_CASE("a throttle template that does not parse is refused before any host is touched", "[compile]") {
  playbook::Playbook book;
  auto ct = compile_first("- hosts: all\n  tasks:\n    - command: echo hi\n      throttle: \"{{ n \"\n", book);
  REQUIRE_FALSE(ct.ok());
  CHECK(ct.error().message() == "book.yml:4:22: unexpected end of template, expected '}}'");
  playbook::Playbook ok_book;
  CHECK(compile_first("- hosts: all\n  tasks:\n    - command: echo hi\n      throttle: \"{{ n }}\"\n", ok_book).ok());
}
