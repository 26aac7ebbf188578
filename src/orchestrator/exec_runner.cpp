#include "fleetk8s/orchestrator/exec_runner.h"

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>

#include "fleetk8s/report/log.h"

namespace fleetk8s::orchestrator {

namespace asio = boost::asio;

namespace {

std::string elapsed_ms(std::chrono::steady_clock::time_point since) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f ms",
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count());
  return buf;
}

ssh::Task<HostOutcome> run_one(ConnectPacer& pacer, const ExecTarget& target, const ExecRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  HostOutcome outcome;
  outcome.host = target.connect.name;
  auto finish = [&](HostStatus status) {
    outcome.status = status;
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
  };
  auto paced = co_await pacer.connect(target.connect);
  outcome.connect_retries = paced.retries();
  auto& conn = paced.connection;
  if (!conn) {
    outcome.error = conn.error();
    co_return finish(HostStatus::kUnreachable);
  }
  report::log_info(outcome.host + ": connected as " + target.connect.user + " in " + elapsed_ms(start));
  ssh::ExecOptions options = request.options;
  options.become = target.become;
  auto result = co_await (*conn)->exec(request.command, options);
  co_await (*conn)->close();
  if (!result) {
    outcome.error = result.error();
    co_return finish(is_unreachable(result.error().kind()) ? HostStatus::kUnreachable : HostStatus::kFailed);
  }
  const bool ok = result->success();
  outcome.result = std::move(*result);
  co_return finish(ok ? HostStatus::kOk : HostStatus::kFailed);
}

}  // namespace

ssh::Task<std::vector<HostOutcome>> run_exec(ssh::Transport& transport, const std::vector<ExecTarget>& targets,
                                             const ExecRequest& request, OutcomeSink on_done) {
  auto ex = co_await asio::this_coro::executor;
  std::vector<HostOutcome> outcomes(targets.size());
  std::size_t next = 0;
  std::size_t running = 0;
  asio::steady_timer all_done(ex, std::chrono::steady_clock::time_point::max());
  ConnectPacer pacer(transport, request.connect, log_retries());

  // `forks` workers each take the next host until none is left.
  auto worker = [&]() -> ssh::Task<void> {
    while (next < targets.size()) {
      const std::size_t i = next++;
      outcomes[i] = co_await run_one(pacer, targets[i], request);
      if (on_done) on_done(outcomes[i]);
    }
    if (--running == 0) all_done.cancel();
  };
  const std::size_t workers = std::min<std::size_t>(targets.size(), static_cast<std::size_t>(std::max(1, request.forks)));
  running = workers;
  for (std::size_t w = 0; w < workers; ++w) asio::co_spawn(ex, worker(), asio::detached);
  if (workers > 0) {
    boost::system::error_code ec;
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return outcomes;
}

}  // namespace fleetk8s::orchestrator
