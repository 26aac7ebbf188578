// Paced connection attempts, so that no host is lost to a busy moment.
//
// A ConnectPacer stands between the engine and a Transport: at most
// `parallel` connection attempts (TCP connect, SSH handshake and login) are
// in flight at once, whatever --forks says; the others wait their turn in
// arrival order. Each attempt runs under the transport's own connect timeout,
// which starts when the attempt does, never while the host waits for its
// turn. An attempt that timed out or was refused is tried again after a
// pause that doubles each time (with jitter, so a fleet's retries do not
// come back in step), up to `retries` times; authentication failures,
// host-key problems and names that do not resolve are final at once:
// trying again cannot mend them.
//
// Use from the transport's executor only; not thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "fleetk8s/core/result.h"
#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::orchestrator {

// The connection attempts in flight at once when not told otherwise: 8 per
// CPU core of this machine, at least 8 and at most 64. Enough to keep the
// round trips to distant hosts busy; few enough that a busy machine (or hosts
// sharing its cores) answers each handshake well within its timeout. Above
// 64 the engine's one thread is busy with the handshakes' cryptography.
int default_connect_parallel(unsigned cores);
int default_connect_parallel();  // for this machine's cores

struct ConnectPacing {
  ConnectPacing() {}  // not an aggregate: safe as `{}` in a co_await (transport.h)
  int parallel = default_connect_parallel();  // attempts in flight at once; 0 = no bound
  int retries = 2;                            // further attempts after a timeout or refusal
  std::chrono::milliseconds backoff{1000};    // the pause before the first retry
  std::chrono::milliseconds max_backoff{30000};
};

// True for the errors a later attempt may not meet: a timeout (connecting,
// handshake or login) and a refused connection.
bool is_retryable(ErrorKind kind);

// The pause before retry number `retry` (1 for the first): `backoff`
// doubled for each retry before it, at most `max_backoff`, then scaled by
// 1/2 + `unit`/2 ("equal jitter"). REQUIRES: retry >= 1, 0 <= unit < 1.
std::chrono::milliseconds retry_pause(const ConnectPacing& pacing, int retry, double unit);

// How a connection came about: the connection or the last attempt's error
// (with "(after N attempts)" when there were several), and the attempts made.
struct PacedConnection {
  explicit PacedConnection(Result<std::unique_ptr<ssh::Connection>> c, int n = 1)
      : connection(std::move(c)), attempts(n) {}
  Result<std::unique_ptr<ssh::Connection>> connection;
  int attempts;
  int retries() const { return attempts - 1; }
};

// Told of each retry before its pause: the host, the failed attempt's error,
// the attempt that failed (1, 2, ...), the attempts allowed, the pause.
using RetryNotice = std::function<void(const std::string& host, const Error& error, int attempt, int attempts,
                                       std::chrono::milliseconds pause)>;

// A RetryNotice that logs each retry at info level (-v): "web3: SSH
// handshake with 10.0.0.3:22 timed out after 10 s (attempt 1 of 3); trying
// again in 0.8 s".
RetryNotice log_retries();

class ConnectPacer {
 public:
  // `transport` is borrowed and must outlive the pacer. `unit_random`
  // returns numbers in [0, 1) for the jitter; empty = a seeded generator.
  ConnectPacer(ssh::Transport& transport, ConnectPacing pacing, RetryNotice notice = {},
               std::function<double()> unit_random = {});
  ~ConnectPacer();
  ConnectPacer(const ConnectPacer&) = delete;
  ConnectPacer& operator=(const ConnectPacer&) = delete;

  // Connects to the host of `options`, waiting for a turn before each
  // attempt and pausing (without holding a turn) before each retry.
  // REQUIRES: awaited on the transport's executor; the pacer outlives it.
  ssh::Task<PacedConnection> connect(ssh::ConnectOptions options);

  const ConnectPacing& pacing() const { return pacing_; }

 private:
  // Returns once this attempt may start; end_turn() when it is over.
  ssh::Task<void> wait_turn();
  void end_turn();

  // Constant after construction.
  ssh::Transport& transport_;
  const ConnectPacing pacing_;
  const RetryNotice notice_;
  std::function<double()> unit_random_;

  // Guarded by the executor (one thread).
  int in_flight_ = 0;
  // Attempts waiting for a turn, oldest first; each sleeps until
  // end_turn() hands it the turn.
  struct Waiter;
  std::deque<std::shared_ptr<Waiter>> waiting_;
};

}  // namespace fleetk8s::orchestrator
