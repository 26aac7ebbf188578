// Runs fn(0) .. fn(n-1) concurrently on the current executor, at most
// `limit` at a time, and returns when all are done (Ansible's forks).
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>

#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::orchestrator {

// REQUIRES: `fn` returns ssh::Task<void> and does not throw; it and what it
// captures stay alive until this returns (they do: this awaits them all).
template <class Fn>
ssh::Task<void> parallel_for(std::size_t n, int limit, Fn fn) {
  namespace asio = boost::asio;
  if (n == 0) co_return;
  auto ex = co_await asio::this_coro::executor;
  std::size_t next = 0;
  std::size_t running = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, limit)));
  asio::steady_timer all_done(ex, std::chrono::steady_clock::time_point::max());
  auto worker = [&]() -> ssh::Task<void> {
    while (next < n) co_await fn(next++);
    if (--running == 0) all_done.cancel();
  };
  const std::size_t workers = running;
  for (std::size_t w = 0; w < workers; ++w) asio::co_spawn(ex, worker(), asio::detached);
  boost::system::error_code ec;
  co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace fleetk8s::orchestrator
