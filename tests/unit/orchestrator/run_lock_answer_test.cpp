// A run lock that cannot be taken because the host answers too slowly says
// which timeout that was and how to raise it (issue 10).
#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/detached.hpp>
#include <cstdlib>
#include <optional>

#include "fleetk8s/orchestrator/run_lock.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;
using namespace std::chrono_literals;

namespace {

// A lock script that prints `out` at once and then never answers again.
// Like SshStream, each read_until searches out() from the front (the caller
// consumes what it has read); one that does not find its marker times out.
class SlowStream : public ssh::Stream {
 public:
  SlowStream(std::string out, std::vector<std::chrono::milliseconds>& waits)
      : out_(std::move(out)), waits_(waits) {}
  ssh::Task<Result<void>> write(std::string) override { co_return Result<void>{}; }
  ssh::Task<Result<std::size_t>> read_until(std::string marker, std::chrono::milliseconds timeout) override {
    waits_.push_back(timeout);
    const auto at = out_.find(marker);
    if (at == std::string::npos) co_return Error(ErrorKind::kCommandTimeout, "no answer from cp1 in time");
    co_return at + marker.size();
  }
  std::string& out() override { return out_; }
  std::string& err() override { return err_; }
  ssh::Task<Result<CommandResult>> close() override { co_return CommandResult{}; }

 private:
  std::string out_, err_;
  std::vector<std::chrono::milliseconds>& waits_;
};

class SlowConnection : public ssh::Connection {
 public:
  std::string out;
  std::vector<std::chrono::milliseconds> waits;
  ssh::Task<Result<CommandResult>> exec(std::string, ssh::ExecOptions) override { co_return CommandResult{}; }
  ssh::Task<Result<void>> upload(std::string, std::string, int, ssh::BecomeOptions) override {
    co_return Result<void>{};
  }
  ssh::Task<Result<std::unique_ptr<ssh::Stream>>> open_stream(std::string, ssh::BecomeOptions) override {
    co_return std::unique_ptr<ssh::Stream>(new SlowStream(out, waits));
  }
  ssh::Task<void> close() override { co_return; }
  const std::string& name() const override { return name_; }

 private:
  std::string name_ = "cp1";
};

ssh::Task<void> acquire_into(SlowConnection& conn, std::chrono::seconds wait,
                             std::optional<Result<RunLock::Outcome>>& out) {
  ssh::BecomeOptions become;
  LockHolder me = LockHolder::me("up");  // no aggregate temporary in co_await (transport.h)
  out = co_await RunLock::acquire(conn, become, me, wait);
}

Result<RunLock::Outcome> acquire(SlowConnection& conn, std::chrono::seconds wait) {
  boost::asio::io_context io;
  std::optional<Result<RunLock::Outcome>> out;
  boost::asio::co_spawn(io, acquire_into(conn, wait, out), boost::asio::detached);
  io.run();
  REQUIRE(out);
  return std::move(*out);
}

}  // namespace

TEST_CASE("no first answer: the error names the 60 s and FLEETK8S_LOCK_TIMEOUT") {
  ::unsetenv("FLEETK8S_LOCK_TIMEOUT");
  SlowConnection conn;
  auto r = acquire(conn, 0s);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kCommandTimeout);
  CHECK_THAT(r.error().message(), Catch::Contains("cannot take the run lock: no answer within 60 s"));
  CHECK_THAT(r.error().message(), Catch::Contains("FLEETK8S_LOCK_TIMEOUT="));
  CHECK(conn.waits.front() == 60s);
}

TEST_CASE("waiting for another holder: the error names --wait-lock") {
  ::setenv("FLEETK8S_LOCK_TIMEOUT", "2m", 1);
  SlowConnection conn;
  conn.out = "FLEETK8S-LOCK-BUSY\nuser=alice\nFLEETK8S-LOCK-END\n";
  auto r = acquire(conn, 30s);
  ::unsetenv("FLEETK8S_LOCK_TIMEOUT");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message(), Catch::Contains("no answer within --wait-lock 30 s + 120 s"));
  CHECK_THAT(r.error().message(), Catch::Contains("raise --wait-lock"));
  REQUIRE(conn.waits.size() == 2);
  CHECK(conn.waits[0] == 120s);
  CHECK(conn.waits[1] == 150s);
}

TEST_CASE("locked, then no READY: the same timeout is named") {
  SlowConnection conn;
  conn.out = "FLEETK8S-LOCK-LOCKED\n\nFLEETK8S-LOCK-END\n";
  auto r = acquire(conn, 0s);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message(), Catch::Contains("no answer within 60 s"));
}

TEST_CASE("FLEETK8S_LOCK_TIMEOUT must be a duration") {
  ::setenv("FLEETK8S_LOCK_TIMEOUT", "soon", 1);
  auto bad = lock_answer_timeout();
  ::setenv("FLEETK8S_LOCK_TIMEOUT", "90s", 1);
  auto good = lock_answer_timeout();
  ::unsetenv("FLEETK8S_LOCK_TIMEOUT");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message(), Catch::StartsWith("FLEETK8S_LOCK_TIMEOUT: expected a duration"));
  CHECK(*good == 90s);
  CHECK(*lock_answer_timeout() == 60s);
}

// Under load sshd reads the lock script's answers in one piece: LOCKED, its
// END and READY arrive together. The READY must not be thrown away with the
// LOCKED block (it was: `up` then waited 60 s for an answer it had already
// received, and failed with "received 0 bytes of output").
TEST_CASE("LOCKED with its END and READY in one read: the lock is taken at once") {
  SlowConnection conn;
  conn.out = "FLEETK8S-LOCK-LOCKED\n\nFLEETK8S-LOCK-END\nFLEETK8S-LOCK-READY\n";
  auto r = acquire(conn, 0s);
  REQUIRE(r.ok());
  CHECK(r->lock);
  CHECK_FALSE(r->held_by);
  CHECK_FALSE(r->stale);
}

TEST_CASE("BUSY then LOCKED over a stale holder and READY in one read: taken and the stale holder named") {
  SlowConnection conn;
  conn.out = "FLEETK8S-LOCK-BUSY\nuser=alice\npid=7\nFLEETK8S-LOCK-END\n"
             "FLEETK8S-LOCK-LOCKED\nuser=bob\npid=9\nFLEETK8S-LOCK-END\nFLEETK8S-LOCK-READY\n";
  auto r = acquire(conn, 30s);
  REQUIRE(r.ok());
  CHECK(r->lock);
  REQUIRE(r->stale);
  CHECK(r->stale->user == "bob");
}
