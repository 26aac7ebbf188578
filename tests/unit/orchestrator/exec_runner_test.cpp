#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "fake_transport.h"
#include "fleetk8s/orchestrator/exec_runner.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;
using namespace std::chrono_literals;

namespace {

std::vector<ExecTarget> targets(int n) {
  std::vector<ExecTarget> out;
  for (int i = 0; i < n; ++i) {
    ExecTarget t;
    t.connect.name = "h" + std::to_string(i);
    out.push_back(t);
  }
  return out;
}

std::vector<HostOutcome> run(testing::FakeTransport& t, const std::vector<ExecTarget>& ts, ExecRequest req,
                             std::vector<std::string>* order = nullptr) {
  boost::asio::io_context io;
  auto fut = boost::asio::co_spawn(io, run_exec(t, ts, req, [&](const HostOutcome& o) {
    if (order) order->push_back(o.host);
  }), boost::asio::use_future);
  io.run();
  return fut.get();
}

}  // namespace

TEST_CASE("every host runs the command once and outcomes come back in target order") {
  testing::FakeTransport t;
  auto out = run(t, targets(5), {.command = "uptime", .forks = 50, .options = {}, .connect = {}});
  REQUIRE(out.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(out[i].host == "h" + std::to_string(i));
    CHECK(out[i].status == HostStatus::kOk);
    CHECK(out[i].result->out == "uptime\n");
  }
  CHECK(std::count(t.log.begin(), t.log.end(), "exec h3 uptime") == 1);
  CHECK(std::count(t.log.begin(), t.log.end(), "close h3") == 1);
}

TEST_CASE("forks bounds the hosts in flight") {
  testing::FakeTransport t;
  for (int i = 0; i < 10; ++i) t.hosts["h" + std::to_string(i)].delay = 20ms;
  run(t, targets(10), {.command = "x", .forks = 3, .options = {}, .connect = {}});
  CHECK(t.max_in_flight == 3);
}

TEST_CASE("an unreachable or failing host does not stop the others") {
  testing::FakeTransport t;
  t.hosts["h0"].connect_error = Error(ErrorKind::kConnectRefused, "refused");
  t.hosts["h1"].run = [](const std::string&) { return Result<CommandResult>(CommandResult{"", "no", 2, "", false, false}); };
  t.hosts["h2"].run = [](const std::string&) { return Result<CommandResult>(Error(ErrorKind::kConnectionLost, "lost")); };
  t.hosts["h3"].run = [](const std::string&) { return Result<CommandResult>(Error(ErrorKind::kBecome, "sudo")); };
  t.hosts["h0"].delay = 50ms;
  std::vector<std::string> order;
  auto out = run(t, targets(5), {.command = "x", .forks = 5, .options = {}, .connect = {}}, &order);
  CHECK(out[0].status == HostStatus::kUnreachable);
  CHECK(out[1].status == HostStatus::kFailed);
  CHECK(out[2].status == HostStatus::kUnreachable);
  CHECK(out[3].status == HostStatus::kFailed);
  CHECK(out[4].status == HostStatus::kOk);
  CHECK(order.size() == 5);
}

TEST_CASE("no targets is an empty run") {
  testing::FakeTransport t;
  CHECK(run(t, {}, {.command = "x", .forks = 5, .options = {}, .connect = {}}).empty());
}
