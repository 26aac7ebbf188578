#include <catch2/catch.hpp>

#include "fleetk8s/schedule/units.h"

using namespace fleetk8s::schedule;
using namespace std::chrono_literals;

namespace {

UnitSpec spec(const char* every = "30m") {
  UnitSpec s;
  s.name = "prod";
  s.every = *parse_every(every);
  s.command = {"/usr/local/bin/fleetk8s", "up", "/etc/k8s/prod.ini", "--wait-lock", "10m"};
  s.working_directory = "/root";
  s.state_home = "/var/lib";
  s.home = "/root";
  s.run_as = "root";
  return s;
}

// The value of the first "Key=" line, or "(none)".
std::string setting(const std::string& unit, const std::string& key) {
  const std::string prefix = "\n" + key + "=";
  auto at = unit.find(prefix);
  if (at == std::string::npos) return "(none)";
  at += prefix.size();
  return unit.substr(at, unit.find('\n', at) - at);
}

}  // namespace

TEST_CASE("a 30m schedule: a oneshot service and a monotonic timer") {
  auto u = render_units(spec());
  REQUIRE(u);
  CHECK(u->service_name == "fleetk8s-prod.service");
  CHECK(u->timer_name == "fleetk8s-prod.timer");
  CHECK(written_by_fleetk8s(u->service));
  CHECK(written_by_fleetk8s(u->timer));
  CHECK(setting(u->service, "Type") == "oneshot");
  CHECK(setting(u->service, "ExecStart") == "/usr/local/bin/fleetk8s up /etc/k8s/prod.ini --wait-lock 10m");
  CHECK(setting(u->service, "WorkingDirectory") == "/root");
  CHECK_THAT(u->service, Catch::Contains("\nEnvironment=\"XDG_STATE_HOME=/var/lib\"\n"));
  CHECK_THAT(u->service, Catch::Contains("\nEnvironment=\"HOME=/root\"\n"));
  CHECK(setting(u->service, "User") == "root");
  CHECK(setting(u->service, "StateDirectory") == "fleetk8s");
  CHECK(setting(u->service, "StateDirectoryMode") == "0700");  // run folders are private
  CHECK(setting(u->service, "TimeoutStartSec") == "2h");
  CHECK(setting(u->service, "After") == "network-online.target");
  CHECK(setting(u->service, "SuccessExitStatus") == "(none)");  // drift and failures mark the unit failed

  CHECK(setting(u->timer, "OnBootSec") == "5min");
  CHECK(setting(u->timer, "OnUnitActiveSec") == "30min");
  CHECK(setting(u->timer, "RandomizedDelaySec") == "3min");
  CHECK(setting(u->timer, "OnCalendar") == "(none)");
  CHECK(setting(u->timer, "Persistent") == "(none)");
  CHECK(setting(u->timer, "Unit") == "fleetk8s-prod.service");
  CHECK(setting(u->timer, "WantedBy") == "timers.target");
}

TEST_CASE("short and long intervals: boot delay and randomized delay follow") {
  auto fast = render_units(spec("2m"));
  REQUIRE(fast);
  CHECK(setting(fast->timer, "OnBootSec") == "2min");
  CHECK(setting(fast->timer, "RandomizedDelaySec") == "12s");
  auto slow = render_units(spec("1d"));
  REQUIRE(slow);
  CHECK(setting(slow->timer, "RandomizedDelaySec") == "5min");
}

TEST_CASE("a calendar schedule is persistent") {
  auto u = render_units(spec("*:0/15"));
  REQUIRE(u);
  CHECK(setting(u->timer, "OnCalendar") == "*:0/15");
  CHECK(setting(u->timer, "Persistent") == "true");
  CHECK(setting(u->timer, "OnUnitActiveSec") == "(none)");
  CHECK(setting(u->timer, "RandomizedDelaySec") == "1min");
}

TEST_CASE("user units: no system targets, no User=, state under the user's home") {
  auto s = spec();
  s.user_unit = true;
  s.run_as.clear();
  s.home.clear();
  s.state_home = "/home/alice/.local/state";
  auto u = render_units(s);
  REQUIRE(u);
  CHECK(setting(u->service, "After") == "(none)");
  CHECK(setting(u->service, "User") == "(none)");
  CHECK(setting(u->service, "StateDirectory") == "(none)");
  CHECK(read_installed(u->service).summary == "/home/alice/.local/state/fleetk8s/runs/last/summary.json");
}

TEST_CASE("paths with spaces, quotes, % and $ survive systemd's parsing") {
  CHECK(exec_quote("/plain/path-1.ini") == "/plain/path-1.ini");
  CHECK(exec_quote("/my inventories/prod.ini") == "\"/my inventories/prod.ini\"");
  CHECK(exec_quote("50%") == "\"50%%\"");
  CHECK(exec_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(exec_quote("$HOME") == "\"$$HOME\"");
  CHECK(exec_quote("") == "\"\"");
  CHECK(exec_quote(";") == "\\;");

  auto s = spec();
  s.command = {"/opt/fleet k8s/fleetk8s", "up", "/srv/my inventories/100% prod.ini"};
  s.working_directory = "/srv/my inventories";
  s.state_home = "/srv/state 1";
  auto u = render_units(s);
  REQUIRE(u);
  CHECK(setting(u->service, "ExecStart") == "\"/opt/fleet k8s/fleetk8s\" up \"/srv/my inventories/100%% prod.ini\"");
  CHECK(setting(u->service, "WorkingDirectory") == "/srv/my inventories");
  CHECK_THAT(u->service, Catch::Contains("\nEnvironment=\"XDG_STATE_HOME=/srv/state 1\"\n"));
  CHECK(setting(u->service, "Description") == "fleetk8s up /srv/my inventories/100%% prod.ini (scheduled by fleetk8s-prod.timer)");
  // The comment shows the command as a shell takes it.
  CHECK(read_installed(u->service).command == "'/opt/fleet k8s/fleetk8s' up '/srv/my inventories/100% prod.ini'");
}

TEST_CASE("what an installed service says about itself is read back") {
  auto u = render_units(spec("hourly"));
  REQUIRE(u);
  auto i = read_installed(u->service);
  CHECK(i.every == "hourly");
  CHECK(i.command == "/usr/local/bin/fleetk8s up /etc/k8s/prod.ini --wait-lock 10m");
  CHECK(i.summary == "/var/lib/fleetk8s/runs/last/summary.json");
  CHECK(read_installed("[Unit]\n# Every: 5m\n").every.empty());  // only the leading comment block counts
}

TEST_CASE("units not written by fleetk8s are recognised") {
  CHECK_FALSE(written_by_fleetk8s("[Unit]\nDescription=mine\n"));
  CHECK_FALSE(written_by_fleetk8s("# My fleetk8s timer\n[Timer]\n"));
  CHECK_FALSE(written_by_fleetk8s(""));
}

TEST_CASE("schedule names follow systemd's unit name rules") {
  CHECK(check_name("prod"));
  CHECK(check_name("prod-eu_1.2:a"));
  for (const char* bad : {"", "my app", "a/b", "x@y", "back\\slash", ".hidden", "-flag", "ünï"}) {
    INFO(bad);
    auto r = check_name(bad);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message(), Catch::StartsWith("--name"));
  }
  CHECK(check_name("my app").error().message() ==
        "--name my app: a schedule name may only contain letters, digits and _.:- and may not start with . or - "
        "(try my-app)");
  CHECK_FALSE(check_name(std::string(201, 'a')));
}

TEST_CASE("default names come from the inventory file") {
  CHECK(default_name("/etc/k8s/prod.ini") == "prod");
  CHECK(default_name("inventories/prod east.yml") == "prod-east");
  CHECK(default_name("hosts") == "hosts");
  CHECK(default_name("/x/@@@.ini") == "fleet");
}

TEST_CASE("bad specs are refused, not written half") {
  auto s = spec();
  s.command = {"fleetk8s", "up"};
  CHECK_THAT(render_units(s).error().message(), Catch::Contains("absolute path of fleetk8s"));
  s = spec();
  s.command.push_back("-e");
  s.command.push_back("a=1\nExecStartPost=/bin/evil");
  CHECK_THAT(render_units(s).error().message(), Catch::StartsWith("cannot write a newline"));
  s = spec();
  s.working_directory = "relative";
  CHECK_THAT(render_units(s).error().message(), Catch::Contains("not an absolute directory"));
  s = spec();
  s.name = "a b";
  CHECK_FALSE(render_units(s));
}

TEST_CASE("a watch: one long-running service, restarted on failure, reloaded with SIGHUP, no timer") {
  UnitSpec s = spec();
  s.watch = true;
  s.every = Every();
  s.every.interval = 20s;
  s.command = {"/usr/local/bin/fleetk8s", "watch", "/etc/k8s/prod.ini", "--every", "20s", "--fix"};
  auto u = render_units(s);
  REQUIRE(u);
  CHECK(u->service_name == "fleetk8s-prod.service");
  CHECK(u->timer_name.empty());
  CHECK(u->timer.empty());
  CHECK(setting(u->service, "Type") == "simple");
  CHECK(setting(u->service, "Restart") == "on-failure");
  CHECK(setting(u->service, "ExecReload") == "/bin/kill -HUP $MAINPID");
  CHECK(setting(u->service, "TimeoutStopSec") == "2h");
  CHECK(setting(u->service, "TimeoutStartSec") == "(none)");
  CHECK(setting(u->service, "WantedBy") == "multi-user.target");
  CHECK(setting(u->service, "Description") == "fleetk8s watch /etc/k8s/prod.ini every 20s");
  const Installed back = read_installed(u->service);
  CHECK(back.watch);
  CHECK(back.every == "20s");
  CHECK_FALSE(read_installed(render_units(spec())->service).watch);
  s.user_unit = true;
  s.run_as.clear();
  CHECK(setting(render_units(s)->service, "WantedBy") == "default.target");
}
