// RemoteShell against real sshd processes of the sandbox fleet.
#include <catch2/catch.hpp>

#include "fleetk8s/ssh/remote_shell.h"
#include "sandbox.h"

using namespace fleetk8s;
using namespace std::chrono_literals;
using testing::run_async;
using testing::sandbox_host;

namespace {

using Exec = boost::asio::any_io_executor;

// Opens a connection and a shell, runs `scripts` in order, closes both.
// Each entry of the result is "rc|stdout|stderr" or "error: message".
std::vector<std::string> run_scripts(ssh::ConnectOptions o, std::vector<std::string> scripts,
                                     ssh::BecomeOptions become = {}, std::chrono::milliseconds timeout = 0ms) {
  return run_async<std::vector<std::string>>([&](Exec ex) -> ssh::Task<std::vector<std::string>> {
    std::vector<std::string> got;
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(o);
    if (!c) {
      got.push_back("error: " + c.error().message());
      co_return got;
    }
    auto shell = co_await ssh::RemoteShell::start(**c, become, 10s);
    if (!shell) {
      got.push_back("error: " + shell.error().message());
      co_await (*c)->close();
      co_return got;
    }
    for (const auto& s : scripts) {
      auto r = co_await (*shell)->run(s, timeout);
      got.push_back(r ? std::to_string(r->exit_status) + "|" + r->out + "|" + r->err : "error: " + r.error().message());
    }
    auto closed = co_await (*shell)->close();
    if (!closed) got.push_back("close error: " + closed.error().message());
    co_await (*c)->close();
    co_return got;
  });
}

}  // namespace

TEST_CASE("a remote shell runs scripts in turn with exact output and status", "[shell]") {
  auto got = run_scripts(sandbox_host("cp1"), {
                                                  "hostname",
                                                  "printf 'no newline'; printf 'err' >&2; exit 4",
                                                  "printf 'two\\n\\n'",
                                                  "cat; echo read-eof",  // stdin is /dev/null
                                                  "if then fi",          // a syntax error stays in its subshell
                                                  "x=1; echo $x",
                                                  "echo \"$x\"",          // subshells do not leak variables
                                              });
  REQUIRE(got.size() == 7);
  CHECK(got[0] == "0|cp1\n|");
  CHECK(got[1] == "4|no newline|err");
  CHECK(got[2] == "0|two\n\n|");
  CHECK(got[3] == "0|read-eof\n|");
  CHECK(got[4].rfind("2||", 0) == 0);
  CHECK_THAT(got[4], Catch::Contains("syntax error", Catch::CaseSensitive::No));
  CHECK(got[5] == "0|1\n|");
  CHECK(got[6] == "0|\n|");
}

TEST_CASE("a remote shell carries large output and any bytes", "[shell]") {
  auto got = run_scripts(sandbox_host("cp1"), {"head -c 3000000 /dev/zero | tr '\\0' a", "printf 'FKO fk\\nFKX 0 fkX\\n'"});
  REQUIRE(got.size() == 2);
  CHECK(got[0].size() == 3000000 + 3);
  CHECK(got[1] == "0|FKO fk\nFKX 0 fkX\n|");
}

TEST_CASE("a remote shell script over its timeout is killed; the shell stays usable", "[shell]") {
  auto got = run_scripts(sandbox_host("cp1"), {"sleep 30", "echo after"}, {}, 1000ms);
  REQUIRE(got.size() == 2);
  CHECK_THAT(got[0], Catch::Contains("timed out after 1.0 s"));
  CHECK(got[1] == "0|after\n|");
}

TEST_CASE("a remote shell removes its temporary directory when it ends", "[shell]") {
  auto got = run_scripts(sandbox_host("worker01"), {"echo $FKD; ls -d $FKD"});
  REQUIRE(got.size() == 1);
  const std::string dir = got[0].substr(2, got[0].find('\n') - 2);
  REQUIRE(dir.find("/.fleetk8s.") != std::string::npos);
  auto after = run_scripts(sandbox_host("worker01"), {"test -e " + dir + " && echo left || echo gone"});
  CHECK(after[0] == "0|gone\n|");
}

TEST_CASE("a remote shell under sudo", "[shell][become]") {
  auto o = sandbox_host("cp1");
  ssh::BecomeOptions become;
  become.enabled = true;
  SECTION("passwordless") {
    o.user = "deploy";
    auto got = run_scripts(o, {"id -un", "id -un"}, become);
    CHECK(got == std::vector<std::string>{"0|root\n|", "0|root\n|"});
  }
  SECTION("with a password") {
    o.user = "ops";
    become.password = "ops-sandbox-pw";
    auto got = run_scripts(o, {"id -un"}, become);
    CHECK(got == std::vector<std::string>{"0|root\n|"});
  }
  SECTION("passwordless sudo given a password: the shell never runs the password as a command") {
    o.user = "deploy";
    become.password = "pw;touch /tmp/fk-canary-shell";
    auto got = run_scripts(o, {"id -un", "test -e /tmp/fk-canary-shell && echo canary; true"}, become);
    CHECK(got == std::vector<std::string>{"0|root\n|", "0||"});
  }
  SECTION("the shell's stdin is not consumed by a password sudo never asked for") {
    o.user = "deploy";
    become.password = "pw";
    auto got = run_scripts(o, {"echo first", "echo second"}, become);
    CHECK(got == std::vector<std::string>{"0|first\n|", "0|second\n|"});
  }
  SECTION("with a wrong password") {
    o.user = "ops";
    become.password = "wrong";
    auto got = run_scripts(o, {"id -un"}, become);
    REQUIRE(got.size() == 1);
    CHECK_THAT(got[0], Catch::Contains("sudo rejected the become password"));
  }
}

TEST_CASE("many scripts cost one channel", "[shell]") {
  std::vector<std::string> scripts(200, "echo x");
  const auto start = std::chrono::steady_clock::now();
  auto got = run_scripts(sandbox_host("worker02"), scripts);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(got.size() == 200);
  for (const auto& g : got) CHECK(g == "0|x\n|");
  WARN("200 scripts through one remote shell: " << secs << " s");
}

TEST_CASE("the watchdog fails a script whose shell went idle without answering", "[shell][watchdog]") {
  // `kill -STOP $$` stops the shell itself once the script is done: no
  // answer will ever come although the connection is alive. A script that
  // runs long without output is left alone.
  auto got = run_async<std::vector<std::string>>([&](Exec ex) -> ssh::Task<std::vector<std::string>> {
    std::vector<std::string> out;
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(sandbox_host("cp1"));
    REQUIRE(c.ok());
    auto shell = co_await ssh::RemoteShell::start(**c, {}, 10s, 1s);
    REQUIRE(shell.ok());
    auto pid = co_await (*shell)->run("echo $$", 0ms);
    REQUIRE(pid.ok());
    auto quiet = co_await (*shell)->run("sleep 4; echo slept", 0ms);
    out.push_back(quiet ? quiet->out : "error: " + quiet.error().message());
    const auto before = std::chrono::steady_clock::now();
    auto lost = co_await (*shell)->run("kill -STOP $$", 0ms);
    const auto took = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - before);
    out.push_back(lost ? "answered" : lost.error().message());
    out.push_back(std::to_string(took.count()));
    (void)co_await (*c)->exec("kill -CONT " + pid->out, {});
    (void)co_await (*shell)->close();
    co_await (*c)->close();
    co_return out;
  });
  REQUIRE(got.size() == 3);
  CHECK(got[0] == "slept\n");
  CHECK_THAT(got[1], Catch::Contains("watchdog: the remote shell on cp1") && Catch::Contains("is idle"));
  CHECK(std::stoi(got[2]) < 10);
}

TEST_CASE("a script's text never reaches the environment of the commands it runs", "[shell]") {
  auto o = sandbox_host("cp1");
  // With a time limit (passed through timeout's environment) and without,
  // before and after a limited one.
  auto limited = run_scripts(o, {"env | grep -c '^fk_' || true", "true"}, {}, 5s);
  CHECK(limited[0] == "0|0\n|");
  auto got = run_scripts(o, {"env | grep -c '^fk_' || true"}, {}, 0ms);
  CHECK(got[0] == "0|0\n|");
}
