// ProxyJump in the SSH engine, against the shared sandbox fleet: cp1 serves
// as the jump host for the others (the bastion-only topology itself is
// tested end to end by bastion-test.sh).
#include <catch2/catch.hpp>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "sandbox.h"

using namespace fleetk8s;
using testing::run_async;
using testing::sandbox_host;

namespace {

using Exec = boost::asio::any_io_executor;

ssh::ConnectOptions behind(const std::string& name, std::vector<std::string> jumps) {
  auto o = sandbox_host(name);
  for (const auto& j : jumps) o.jump_hosts.push_back(sandbox_host(j));
  return o;
}

// Established TCP connections to `o`'s address and port, on the whole machine.
int connections_to(const ssh::ConnectOptions& o) {
  const std::string cmd = "ss -Htn state established 'dst " + o.address + " and dport = :" + std::to_string(o.port) +
                          "' | wc -l";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  int n = -1;
  if (std::fscanf(p, "%d", &n) != 1) n = -1;
  ::pclose(p);
  return n;
}

// Runs `command` on each target at once over one transport; returns each
// host's output (or error message), and the connections to `watch` seen
// while all sessions were open.
std::vector<std::string> run_all(const std::vector<ssh::ConnectOptions>& targets, const std::string& command,
                                 const ssh::ConnectOptions* watch = nullptr, int* seen = nullptr) {
  return run_async<std::vector<std::string>>([&](Exec ex) -> ssh::Task<std::vector<std::string>> {
    auto t = ssh::make_ssh_transport(ex);
    std::vector<std::unique_ptr<ssh::Connection>> conns(targets.size());
    std::vector<std::string> out(targets.size());
    int pending = static_cast<int>(targets.size());
    boost::asio::steady_timer all_open(ex, std::chrono::steady_clock::time_point::max());
    for (std::size_t i = 0; i < targets.size(); ++i) {
      boost::asio::co_spawn(
          ex,
          [&, i]() -> ssh::Task<void> {
            auto c = co_await t->connect(targets[i]);
            if (c) conns[i] = std::move(*c);
            else out[i] = "error: " + c.error().message();
            if (--pending == 0) all_open.cancel();
          },
          boost::asio::detached);
    }
    boost::system::error_code ec;
    if (pending > 0) co_await all_open.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (watch && seen) *seen = connections_to(*watch);
    for (std::size_t i = 0; i < targets.size(); ++i) {
      if (!conns[i]) continue;
      auto r = co_await conns[i]->exec(command, ssh::ExecOptions());
      out[i] = r ? r->out : "error: " + r.error().message();
      co_await conns[i]->close();
    }
    co_return out;
  });
}

}  // namespace

TEST_CASE("hosts behind a jump host share one session to it, closed after the last", "[ssh][jump]") {
  const auto jump = sandbox_host("cp1");
  const int before = connections_to(jump);
  int seen = -1;
  auto out = run_all({behind("worker01", {"cp1"}), behind("worker02", {"cp1"}), behind("worker03", {"cp1"})},
                     "hostname", &jump, &seen);
  CHECK(out == std::vector<std::string>{"worker01\n", "worker02\n", "worker03\n"});
  CHECK(seen == before + 1);
  CHECK(connections_to(jump) == before);  // closed with the last connection behind it
}

TEST_CASE("bulk data both ways through a jump host arrives complete", "[ssh][jump]") {
  const auto target = behind("worker01", {"cp1"});
  auto r = run_async<Result<CommandResult>>([&](Exec ex) -> ssh::Task<Result<CommandResult>> {
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(target);
    if (!c) co_return c.error();
    ssh::ExecOptions eo;
    eo.stdin_data = std::string(2 << 20, 'i');
    const std::string command = "wc -c >&2; head -c 8388608 /dev/zero | tr '\\0' o";
    auto res = co_await (*c)->exec(command, eo);
    co_await (*c)->close();
    co_return res;
  });
  REQUIRE(r.ok());
  CHECK(r->err == "2097152\n");
  CHECK(r->out.size() == 8388608);
  CHECK(r->out.find_first_not_of('o') == std::string::npos);
}

TEST_CASE("chained jump hosts: a jump through a jump", "[ssh][jump]") {
  auto out = run_all({behind("worker02", {"cp1", "worker01"}), behind("worker03", {"cp1", "worker01"})}, "hostname");
  CHECK(out == std::vector<std::string>{"worker02\n", "worker03\n"});
}

TEST_CASE("errors name the jump host; every host behind a dead one is unreachable", "[ssh][jump]") {
  auto dead = sandbox_host("cp1");
  dead.port = 1;  // nothing listens there
  auto a = sandbox_host("worker01"), b = sandbox_host("worker02");
  a.jump_hosts = b.jump_hosts = {dead};
  auto out = run_all({a, b}, "hostname");
  for (const auto& o : out) {
    INFO(o);
    CHECK(o.rfind("error: via bastion " + dead.address + ":1 (cp1): connection refused by " + dead.address + ":1", 0) ==
          0);
  }

  auto unreachable = behind("worker01", {"cp1"});
  unreachable.port = 1;
  out = run_all({unreachable}, "hostname");
  INFO(out[0]);
  CHECK(out[0].find("via bastion") != std::string::npos);
  CHECK(out[0].find("the jump host cannot connect to " + unreachable.address + ":1") != std::string::npos);
}

TEST_CASE("a jump host's key is verified against its own known_hosts entry", "[ssh][jump]") {
  const std::string empty = std::filesystem::temp_directory_path() / ("fleetk8s-jump-kh." + std::to_string(getpid()));
  std::ofstream(empty).close();
  auto jump = sandbox_host("cp1");
  jump.known_hosts_file = empty;
  auto o = sandbox_host("worker01");
  o.jump_hosts = {jump};
  auto out = run_all({o}, "hostname");
  std::filesystem::remove(empty);
  INFO(out[0]);
  CHECK(out[0].find("via bastion") != std::string::npos);
  CHECK(out[0].find("host key for " + jump.address + ":" + std::to_string(jump.port) + " is not in " + empty) !=
        std::string::npos);
}
