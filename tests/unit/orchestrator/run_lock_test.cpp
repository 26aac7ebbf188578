#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

#include "fleetk8s/orchestrator/run_lock.h"

using namespace fleetk8s::orchestrator;
using namespace std::chrono_literals;

TEST_CASE("the lock holder round-trips through its key=value text") {
  LockHolder h = parse_lock_holder("user=alice\nhost=laptop\npid=4242\ncommand=up\nstarted=2026-11-26T04:10:00Z\n"
                                   "remote_pid=77\nfuture=ignored\n");
  CHECK(h.user == "alice");
  CHECK(h.host == "laptop");
  CHECK(h.pid == 4242);
  CHECK(h.remote_pid == "77");
  CHECK(h.describe() == "alice@laptop (pid 4242, fleetk8s up, since 2026-11-26T04:10:00Z)");
  CHECK(parse_lock_holder("garbage\n").describe() == "?@? (pid 0)");
}

TEST_CASE("this process as a holder") {
  LockHolder me = LockHolder::me("reset");
  CHECK(me.pid > 0);
  CHECK(me.command == "reset");
  CHECK(me.started.size() == 20);  // 2026-11-26T04:10:00Z
  CHECK_FALSE(me.host.empty());
}

TEST_CASE("the lock script quotes the holder's fields for the shell") {
  LockHolder me;
  me.user = "o'neil";
  me.host = "lap top";
  me.command = "up";
  const std::string s = run_lock_script(me, 0s);
  CHECK_THAT(s, Catch::Contains("'user=o'\\''neil'"));
  CHECK_THAT(s, Catch::Contains("'host=lap top'"));
  CHECK_THAT(s, Catch::Contains("flock -n 9"));
  // The script is valid POSIX shell.
  const auto path = std::filesystem::temp_directory_path() / "fleetk8s-run-lock-test.sh";
  std::ofstream(path) << s;
  const int rc = std::system(("sh -n " + path.string()).c_str());
  std::filesystem::remove(path);
  CHECK(WEXITSTATUS(rc) == 0);
}
