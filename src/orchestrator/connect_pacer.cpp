#include "fleetk8s/orchestrator/connect_pacer.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <cstdio>
#include <random>
#include <thread>

#include "fleetk8s/report/log.h"

namespace fleetk8s::orchestrator {

namespace asio = boost::asio;

int default_connect_parallel(unsigned cores) {
  return static_cast<int>(std::clamp(8u * std::max(cores, 1u), 8u, 64u));
}

int default_connect_parallel() { return default_connect_parallel(std::thread::hardware_concurrency()); }

bool is_retryable(ErrorKind kind) { return kind == ErrorKind::kTimeout || kind == ErrorKind::kConnectRefused; }

std::chrono::milliseconds retry_pause(const ConnectPacing& pacing, int retry, double unit) {
  double pause = static_cast<double>(pacing.backoff.count());
  const double cap = static_cast<double>(pacing.max_backoff.count());
  for (int i = 1; i < retry && pause < cap; ++i) pause *= 2;
  pause = std::min(pause, cap);
  return std::chrono::milliseconds(static_cast<long>(pause * (0.5 + std::clamp(unit, 0.0, 1.0) / 2)));
}

namespace {

// A turn held by one attempt: given back when the attempt is over, however
// the coroutine leaves.
class TurnGuard {
 public:
  explicit TurnGuard(std::function<void()> end) : end_(std::move(end)) {}
  ~TurnGuard() { end_(); }
  TurnGuard(const TurnGuard&) = delete;
  TurnGuard& operator=(const TurnGuard&) = delete;

 private:
  std::function<void()> end_;
};

std::function<double()> seeded_unit_random() {
  auto engine = std::make_shared<std::minstd_rand>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

}  // namespace

RetryNotice log_retries() {
  return [](const std::string& host, const Error& error, int attempt, int attempts, std::chrono::milliseconds pause) {
    char again[48];
    std::snprintf(again, sizeof again, "; trying again in %.1f s", static_cast<double>(pause.count()) / 1000);
    report::log_info(host + ": " + error.message() + " (attempt " + std::to_string(attempt) + " of " +
                     std::to_string(attempts) + ")" + again);
  };
}

// Sleeps on its timer until end_turn() cancels it.
struct ConnectPacer::Waiter {
  explicit Waiter(asio::any_io_executor ex) : timer(ex, asio::steady_timer::time_point::max()) {}
  asio::steady_timer timer;
};

ConnectPacer::ConnectPacer(ssh::Transport& transport, ConnectPacing pacing, RetryNotice notice,
                           std::function<double()> unit_random)
    : transport_(transport),
      pacing_(std::move(pacing)),
      notice_(std::move(notice)),
      unit_random_(unit_random ? std::move(unit_random) : seeded_unit_random()) {}

ConnectPacer::~ConnectPacer() = default;

ssh::Task<void> ConnectPacer::wait_turn() {
  if (pacing_.parallel <= 0 || in_flight_ < pacing_.parallel) {
    ++in_flight_;
    co_return;
  }
  // end_turn() hands its turn over by cancelling our timer: in_flight_
  // stays as it is.
  auto waiter = std::make_shared<Waiter>(co_await asio::this_coro::executor);
  waiting_.push_back(waiter);
  boost::system::error_code ec;
  co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

void ConnectPacer::end_turn() {
  if (waiting_.empty()) {
    --in_flight_;
    return;
  }
  auto next = std::move(waiting_.front());
  waiting_.pop_front();
  next->timer.cancel();
}

ssh::Task<PacedConnection> ConnectPacer::connect(ssh::ConnectOptions options) {
  const int allowed = 1 + std::max(0, pacing_.retries);
  for (int attempt = 1;; ++attempt) {
    co_await wait_turn();
    std::optional<Error> failed;
    {
      TurnGuard turn([this] { end_turn(); });
      // The transport's connect timeout starts here, with the attempt.
      auto c = co_await transport_.connect(options);
      if (c) co_return PacedConnection(std::move(c), attempt);
      failed = c.error();
    }
    if (!is_retryable(failed->kind()) || attempt == allowed) {
      if (attempt == 1) co_return PacedConnection(*failed, attempt);
      Error last(failed->kind(), failed->message() + " (after " + std::to_string(attempt) + " attempts)");
      co_return PacedConnection(last, attempt);
    }
    const auto pause = retry_pause(pacing_, attempt, unit_random_());
    if (notice_) notice_(options.name, *failed, attempt, allowed, pause);
    asio::steady_timer timer(co_await asio::this_coro::executor, pause);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace fleetk8s::orchestrator
