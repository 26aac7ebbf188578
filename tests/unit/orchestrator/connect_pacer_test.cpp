// Paced connection attempts (connect_pacer.h) against the fake transport:
// the bound on attempts in flight, the timeout per attempt, retries with
// backoff on timeouts and refusals only, and what the engines report.
#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "engine_run.h"
#include "fake_transport.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/connect_pacer.h"
#include "fleetk8s/orchestrator/exec_runner.h"
#include "fleetk8s/orchestrator/playbook_engine.h"
#include "fleetk8s/playbook/loader.h"
#include "fleetk8s/report/exec_report.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

ConnectPacing pacing(int parallel, int retries, std::chrono::milliseconds backoff = 20ms) {
  ConnectPacing p;
  p.parallel = parallel;
  p.retries = retries;
  p.backoff = backoff;
  return p;
}

ssh::ConnectOptions host(const std::string& name, std::chrono::milliseconds timeout = 10s) {
  ssh::ConnectOptions o;
  o.name = name;
  o.connect_timeout = timeout;
  return o;
}

struct Retry {
  std::string host;
  ErrorKind kind;
  int attempt, attempts;
  std::chrono::milliseconds pause;
};

// Connects to every host of `hosts` at once through one pacer; returns what
// each connect came to, in order. The jitter is fixed at its low end (0):
// every pause is half its nominal length.
std::vector<PacedConnection> connect_all(testing::FakeTransport& t, ConnectPacing p,
                                         const std::vector<ssh::ConnectOptions>& hosts,
                                         std::vector<Retry>* retries = nullptr) {
  boost::asio::io_context io;
  ConnectPacer pacer(
      t, p,
      [&](const std::string& h, const Error& e, int attempt, int attempts, std::chrono::milliseconds pause) {
        if (retries) retries->push_back(Retry{h, e.kind(), attempt, attempts, pause});
      },
      [] { return 0.0; });
  std::vector<std::optional<PacedConnection>> out(hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    boost::asio::co_spawn(
        io,
        [&, i]() -> ssh::Task<void> {
          auto c = co_await pacer.connect(hosts[i]);
          out[i].emplace(std::move(c));
        },
        boost::asio::detached);
  }
  io.run();
  std::vector<PacedConnection> done;
  for (auto& o : out) done.push_back(std::move(*o));
  return done;
}

std::vector<ssh::ConnectOptions> hosts(int n, std::chrono::milliseconds timeout = 10s) {
  std::vector<ssh::ConnectOptions> out;
  for (int i = 0; i < n; ++i) out.push_back(host("h" + std::to_string(i), timeout));
  return out;
}

std::vector<Clock::time_point> calls_of(const testing::FakeTransport& t, const std::string& name) {
  std::vector<Clock::time_point> out;
  for (const auto& [h, at] : t.connect_calls)
    if (h == name) out.push_back(at);
  return out;
}

}  // namespace

TEST_CASE("the default bound on attempts in flight follows the cores: 8 each, 8 to 64") {
  CHECK(default_connect_parallel(0u) == 8);
  CHECK(default_connect_parallel(1u) == 8);
  CHECK(default_connect_parallel(2u) == 16);
  CHECK(default_connect_parallel(8u) == 64);
  CHECK(default_connect_parallel(96u) == 64);
  CHECK(ConnectPacing().retries == 2);
}

TEST_CASE("connection attempts in flight never exceed the bound, and every host gets its turn") {
  testing::FakeTransport t;
  for (int i = 0; i < 20; ++i) t.hosts["h" + std::to_string(i)].connect_delay = 5ms;
  auto out = connect_all(t, pacing(3, 2), hosts(20));
  CHECK(t.max_connecting == 3);
  CHECK(t.connect_calls.size() == 20);
  for (const auto& c : out) {
    CHECK(c.connection.ok());
    CHECK(c.attempts == 1);
  }
  // In arrival order: h0, h1, h2 first.
  CHECK(t.connect_calls[0].first == "h0");
  CHECK(t.connect_calls[19].first == "h19");
}

TEST_CASE("a bound of 0 paces nothing") {
  testing::FakeTransport t;
  for (int i = 0; i < 12; ++i) t.hosts["h" + std::to_string(i)].connect_delay = 5ms;
  connect_all(t, pacing(0, 2), hosts(12));
  CHECK(t.max_connecting == 12);
}

TEST_CASE("the connect timeout counts from the host's own attempt, not from when it was queued") {
  // 12 handshakes of 30 ms, 2 at a time: the last ones wait ~150 ms for
  // their turn, longer than the 100 ms timeout, and still connect at once.
  testing::FakeTransport t;
  for (int i = 0; i < 12; ++i) t.hosts["h" + std::to_string(i)].connect_delay = 30ms;
  const auto start = Clock::now();
  auto out = connect_all(t, pacing(2, 0), hosts(12, 100ms));
  CHECK(t.max_connecting == 2);
  CHECK(calls_of(t, "h11").front() - start > 100ms);  // it waited longer than the timeout
  for (const auto& c : out) {
    CHECK(c.connection.ok());
    CHECK(c.attempts == 1);
  }
}

TEST_CASE("a timed-out or refused attempt is retried after a growing pause, its turn given up meanwhile") {
  testing::FakeTransport t;
  t.hosts["slow"].first_attempts = {Error(ErrorKind::kTimeout, "SSH handshake with slow timed out after 10 s"),
                                    Error(ErrorKind::kConnectRefused, "connection refused by slow:22")};
  std::vector<Retry> retries;
  auto out = connect_all(t, pacing(1, 2, 40ms), {host("slow")}, &retries);
  REQUIRE(out[0].connection.ok());
  CHECK(out[0].attempts == 3);
  CHECK(out[0].retries() == 2);
  REQUIRE(retries.size() == 2);
  CHECK(retries[0].kind == ErrorKind::kTimeout);
  CHECK(retries[0].attempt == 1);
  CHECK(retries[0].attempts == 3);
  CHECK(retries[0].pause == 20ms);  // 40 ms, halved by the jitter's low end
  CHECK(retries[1].kind == ErrorKind::kConnectRefused);
  CHECK(retries[1].pause == 40ms);  // doubled
  const auto calls = calls_of(t, "slow");
  REQUIRE(calls.size() == 3);
  CHECK(calls[1] - calls[0] >= 20ms);
  CHECK(calls[2] - calls[1] >= 40ms);
}

TEST_CASE("a handshake that times out for real is retried, each attempt with its own full timeout") {
  testing::FakeTransport t;
  t.hosts["h"].connect_delay = 60ms;  // longer than the 50 ms timeout: every attempt times out
  auto out = connect_all(t, pacing(4, 1, 10ms), {host("h", 50ms)});
  REQUIRE_FALSE(out[0].connection.ok());
  CHECK(out[0].attempts == 2);
  CHECK(out[0].connection.error().kind() == ErrorKind::kTimeout);
  const auto calls = calls_of(t, "h");
  REQUIRE(calls.size() == 2);
  CHECK(calls[1] - calls[0] >= 55ms);  // the first attempt's 50 ms, then a 5 ms pause
}

TEST_CASE("a pausing host does not hold a turn: others connect during its backoff") {
  testing::FakeTransport t;
  t.hosts["a"].first_attempts = {Error(ErrorKind::kConnectRefused, "refused")};
  t.hosts["b"].connect_delay = 5ms;
  connect_all(t, pacing(1, 2, 400ms), {host("a"), host("b")});
  REQUIRE(t.connect_calls.size() == 3);
  CHECK(t.connect_calls[0].first == "a");
  CHECK(t.connect_calls[1].first == "b");  // during a's 200 ms pause
  CHECK(t.connect_calls[2].first == "a");
}

TEST_CASE("a host that keeps refusing is unreachable after 1 + retries attempts, and the error says so") {
  testing::FakeTransport t;
  t.hosts["gone"].connect_error = Error(ErrorKind::kConnectRefused, "connection refused by 10.0.0.9:22 (is sshd running?)");
  std::vector<Retry> retries;
  auto out = connect_all(t, pacing(8, 2, 2ms), {host("gone")}, &retries);
  REQUIRE_FALSE(out[0].connection.ok());
  CHECK(out[0].attempts == 3);
  CHECK(out[0].connection.error().kind() == ErrorKind::kConnectRefused);
  CHECK(out[0].connection.error().message() ==
        "connection refused by 10.0.0.9:22 (is sshd running?) (after 3 attempts)");
  CHECK(retries.size() == 2);

  testing::FakeTransport once;
  once.hosts["gone"].connect_error = Error(ErrorKind::kConnectRefused, "refused");
  out = connect_all(once, pacing(8, 0), {host("gone")});
  CHECK(once.connect_calls.size() == 1);
  CHECK(out[0].connection.error().message() == "refused");  // one attempt: nothing added
}

TEST_CASE("authentication failures, host-key problems and unresolvable names are not retried") {
  for (ErrorKind kind : {ErrorKind::kAuth, ErrorKind::kHostKeyChanged, ErrorKind::kHostKeyUnknown,
                         ErrorKind::kHostKeyRevoked, ErrorKind::kResolve, ErrorKind::kConnectionLost}) {
    testing::FakeTransport t;
    t.hosts["h"].connect_error = Error(kind, "no");
    std::vector<Retry> retries;
    auto out = connect_all(t, pacing(8, 5, 1ms), {host("h")}, &retries);
    CHECK(t.connect_calls.size() == 1);
    CHECK(out[0].attempts == 1);
    CHECK(out[0].connection.error().message() == "no");
    CHECK(retries.empty());
  }
  CHECK(is_retryable(ErrorKind::kTimeout));
  CHECK(is_retryable(ErrorKind::kConnectRefused));
  CHECK_FALSE(is_retryable(ErrorKind::kAuth));
}

TEST_CASE("retry pauses double up to the cap, with jitter between half and all of it") {
  ConnectPacing p;
  p.backoff = 1000ms;
  p.max_backoff = 5000ms;
  CHECK(retry_pause(p, 1, 0.0) == 500ms);
  CHECK(retry_pause(p, 1, 0.5) == 750ms);
  CHECK(retry_pause(p, 2, 0.0) == 1000ms);
  CHECK(retry_pause(p, 3, 0.0) == 2000ms);
  CHECK(retry_pause(p, 4, 0.0) == 2500ms);  // 8 s capped at 5 s
  CHECK(retry_pause(p, 40, 0.0) == 2500ms);
  CHECK(retry_pause(p, 40, 0.999) <= 5000ms);
}

TEST_CASE("exec: forks and the connection bound are separate, and each host's retries are in its outcome") {
  testing::FakeTransport t;
  std::vector<ExecTarget> targets;
  for (int i = 0; i < 10; ++i) {
    ExecTarget target;
    target.connect.name = "h" + std::to_string(i);
    targets.push_back(target);
    t.hosts[target.connect.name].connect_delay = 5ms;
  }
  t.hosts["h3"].first_attempts = {Error(ErrorKind::kTimeout, "timed out")};
  t.hosts["h7"].connect_error = Error(ErrorKind::kConnectRefused, "refused");
  ExecRequest request;
  request.command = "true";
  request.forks = 10;
  request.connect = pacing(2, 2, 2ms);
  boost::asio::io_context io;
  auto fut = boost::asio::co_spawn(io, run_exec(t, targets, request, nullptr), boost::asio::use_future);
  io.run();
  const auto out = fut.get();
  CHECK(t.max_connecting == 2);
  CHECK(out[3].status == report::HostStatus::kOk);
  CHECK(out[3].connect_retries == 1);
  CHECK(out[7].status == report::HostStatus::kUnreachable);
  CHECK(out[7].connect_retries == 2);
  CHECK(out[7].error->message() == "refused (after 3 attempts)");
  CHECK(out[0].connect_retries == 0);
  CHECK(report::format_host_block(out[3]).find(" | 1 connect retry\n") != std::string::npos);
  const std::string summary = report::format_summary(out, 1.0);
  CHECK(summary.find("\nconnect retries: h3 1, h7 2 (2 hosts, 3 retries)\n") != std::string::npos);
}

namespace {

struct RecapRecorder : report::PlaybookReporter {
  std::vector<std::pair<std::string, report::HostStats>> stats;
  void play_start(const std::string&) override {}
  void task_start(const std::string&, const std::string&) override {}
  void task_result(const report::TaskResultEvent&) override {}
  void message(const std::string&) override {}
  void recap(const std::vector<std::pair<std::string, report::HostStats>>& s) override { stats = s; }
};

}  // namespace

TEST_CASE("run: the engine connects through the pacer and its stats carry each host's retries") {
  auto inv = inventory::Inventory::parse_ini("a\nb\nc\n", "test.ini");
  REQUIRE(inv.ok());
  auto book = playbook::parse_playbook("- hosts: all\n  gather_facts: false\n  tasks:\n    - command: 'true'\n",
                                       "book.yml");
  REQUIRE(book.ok());
  testing::FakeTransport t;
  t.hosts["a"].connect_error = Error(ErrorKind::kTimeout, "SSH handshake with a timed out after 10 s");
  t.hosts["b"].connect_error = Error(ErrorKind::kAuth, "authentication failed");
  std::vector<ExecTarget> targets;
  for (const char* h : {"a", "b", "c"}) {
    ExecTarget target;
    target.connect.name = h;
    target.connect.connect_timeout = 10s;
    targets.push_back(target);
    t.hosts[h].connect_delay = 5ms;
  }
  RunOptions options;
  options.forks = 50;
  options.connect = pacing(1, 1, 2ms);
  RecapRecorder reporter;
  PlaybookEngine engine(t, *inv, targets, options, reporter);
  REQUIRE(testing::run_to_end(engine, *book).ok());
  CHECK(t.max_connecting == 1);
  const auto stats = engine.stats();
  REQUIRE(stats.size() == 3);
  CHECK(stats[0].first == "a");
  CHECK(stats[0].second.unreachable == 1);
  CHECK(stats[0].second.connect_retries == 1);  // timed out twice
  CHECK(stats[1].second.unreachable == 1);
  CHECK(stats[1].second.connect_retries == 0);  // authentication: not retried
  CHECK(stats[2].second.connect_retries == 0);
  CHECK(calls_of(t, "a").size() == 2);
  CHECK(calls_of(t, "b").size() == 1);
}
