// A SessionPool keeps each host's connection from one engine to the next
// (fleetk8s watch), keeps a lost host lost until revived, and replaces a
// session whose login changed.
#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "engine_run.h"
#include "fake_transport.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/playbook_engine.h"
#include "fleetk8s/orchestrator/session_pool.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;

namespace {

ExecTarget target(const std::string& name, int port = 22) {
  ExecTarget t;
  t.connect.name = name;
  t.connect.address = name;
  t.connect.port = port;
  return t;
}

size_t count(const std::vector<std::string>& log, const std::string& line) {
  return static_cast<size_t>(std::count(log.begin(), log.end(), line));
}

// Runs `body` to its end on a fresh io_context.
template <class Body>
void run(Body body) {
  boost::asio::io_context io;
  auto fut = boost::asio::co_spawn(io, body(), boost::asio::use_future);
  io.run();
  fut.get();
}

}  // namespace

TEST_CASE("engines over one pool share each host's connection; the pool closes them", "[orchestrator][pool]") {
  auto inv = inventory::Inventory::parse_ini("a\nb\n", "test.ini");
  REQUIRE(inv.ok());
  testing::FakeTransport t;
  ConnectPacing pacing;
  pacing.retries = 0;
  SessionPool pool(t, pacing);
  testing::QuietReporter quiet;
  const std::vector<ExecTarget> targets{target("a"), target("b")};
  run([&]() -> ssh::Task<void> {
    for (int cycle = 0; cycle < 3; ++cycle) {
      PlaybookEngine engine(pool, *inv, targets, RunOptions(), quiet);
      for (const char* h : {"a", "b"}) {
        auto link = co_await engine.host_link(h);
        REQUIRE(link.ok());
      }
      co_await engine.close();
      CHECK(pool.connected("a"));
    }
    CHECK(count(t.log, "connect a") == 1);
    CHECK(count(t.log, "connect b") == 1);
    CHECK(count(t.log, "close a") == 0);
    co_await pool.close();
    CHECK(count(t.log, "close a") == 1);
    CHECK(count(t.log, "close b") == 1);
    CHECK_FALSE(pool.connected("a"));
  });
}

TEST_CASE("a lost host stays lost, without a new attempt, until revived", "[orchestrator][pool]") {
  auto inv = inventory::Inventory::parse_ini("a\n", "test.ini");
  REQUIRE(inv.ok());
  testing::FakeTransport t;
  t.hosts["a"].first_attempts = {Error(ErrorKind::kConnectRefused, "a: connection refused")};
  ConnectPacing pacing;
  pacing.retries = 0;
  SessionPool pool(t, pacing);
  testing::QuietReporter quiet;
  const std::vector<ExecTarget> targets{target("a")};
  run([&]() -> ssh::Task<void> {
    {
      PlaybookEngine engine(pool, *inv, targets, RunOptions(), quiet);
      auto link = co_await engine.host_link("a");
      CHECK_FALSE(link.ok());
    }
    REQUIRE(pool.lost("a").has_value());
    CHECK(pool.lost("a")->message().find("connection refused") != std::string::npos);
    {
      PlaybookEngine engine(pool, *inv, targets, RunOptions(), quiet);
      auto link = co_await engine.host_link("a");
      CHECK_FALSE(link.ok());
    }
    CHECK(count(t.log, "connect a") == 1);  // the second engine did not try again
    co_await pool.revive("a");
    CHECK_FALSE(pool.lost("a").has_value());
    {
      PlaybookEngine engine(pool, *inv, targets, RunOptions(), quiet);
      auto link = co_await engine.host_link("a");
      CHECK(link.ok());
    }
    CHECK(count(t.log, "connect a") == 2);
    CHECK(pool.connected("a"));
    co_await pool.close();
  });
}

TEST_CASE("a changed login gets a new session; retain closes the old ones and the hosts gone", "[orchestrator][pool]") {
  auto inv = inventory::Inventory::parse_ini("a\nb\n", "test.ini");
  REQUIRE(inv.ok());
  testing::FakeTransport t;
  SessionPool pool(t, ConnectPacing());
  testing::QuietReporter quiet;
  run([&]() -> ssh::Task<void> {
    {
      const std::vector<ExecTarget> targets{target("a"), target("b")};
      PlaybookEngine engine(pool, *inv, targets, RunOptions(), quiet);
      auto a = co_await engine.host_link("a");
      auto b = co_await engine.host_link("b");
      CHECK(a.ok());
      CHECK(b.ok());
    }
    // a moved to another port; b left the inventory.
    const std::vector<ExecTarget> next{target("a", 2222)};
    {
      PlaybookEngine engine(pool, *inv, next, RunOptions(), quiet);
      auto a = co_await engine.host_link("a");
      CHECK(a.ok());
    }
    CHECK(count(t.log, "connect a") == 2);
    CHECK(count(t.log, "close a") == 0);
    co_await pool.retain(next);
    CHECK(count(t.log, "close a") == 1);  // the old login's
    CHECK(count(t.log, "close b") == 1);
    CHECK(pool.connected("a"));
    CHECK_FALSE(pool.connected("b"));
    co_await pool.close();
    CHECK(count(t.log, "close a") == 2);
  });
  CHECK(same_login(target("a"), target("a")));
  CHECK_FALSE(same_login(target("a"), target("a", 2200)));
  ExecTarget become = target("a");
  become.become.enabled = true;
  CHECK_FALSE(same_login(target("a"), become));
}
