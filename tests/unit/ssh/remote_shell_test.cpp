#include <catch2/catch.hpp>

#include "fleetk8s/ssh/remote_shell.h"

using namespace fleetk8s;
using namespace fleetk8s::ssh;
using namespace std::chrono_literals;

TEST_CASE("a request carries the script as one quoted word") {
  auto r = remote_shell_request("echo '$HOME' \"x\"", "fk1", 0ms);
  CHECK(r == "fk_s='echo '\\''$HOME'\\'' \"x\"'\n( eval \"$fk_s\" ) >\"$FKD/o\" 2>\"$FKD/e\" </dev/null\n"
             "fk_emit fk1 $?\n");
  auto t = remote_shell_request("sleep 9", "fk2", 1500ms);
  CHECK_THAT(t, Catch::Contains("\nfk_s=$fk_s timeout -k 2 1.5 sh -c 'fk_t=$fk_s; unset fk_s; eval \"$fk_t\"'"));
  CHECK(t.find("export") == std::string::npos);  // the script never reaches later commands' environment
}

TEST_CASE("an answer is split into stdout, stderr and status") {
  const std::string out = "FKO fk1\nline\n\nFKE fk1\nwarn\nFKX 3 fk1X\nrest";
  auto p = parse_remote_shell_answer(out, "fk1");
  REQUIRE(p.ok());
  CHECK(p->first.out == "line\n");
  CHECK(p->first.err == "warn");
  CHECK(p->first.exit_status == 3);
  CHECK(out.substr(p->second) == "rest");
}

TEST_CASE("a garbled answer is an error, not a guess") {
  CHECK_FALSE(parse_remote_shell_answer("FKO fk1\nx\nFKX 0 fk1X\n", "fk1").ok());
  CHECK_FALSE(parse_remote_shell_answer("FKO other\n\nFKE other\n\nFKX 0 fk1X\n", "fk1").ok());
}
