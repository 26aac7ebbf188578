// Wait until every node is Ready: polls the nodes' Ready condition on the
// first control plane (node_readiness.h) through its connection and says
// where it stands whenever that changes, up to kReadyDeadline. The poll
// itself (poll_ready) serves upgrade's rollout too.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "fleetk8s/orchestrator/node_readiness.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

// A poll every kReadyPoll, each answer within kReadyQueryTimeout, the whole
// wait within kReadyDeadline.
constexpr std::chrono::seconds kReadyPoll{2};
constexpr std::chrono::seconds kReadyQueryTimeout{30};
constexpr std::chrono::seconds kReadyDeadline{300};

// One look at the nodes (kubectl as root on the first control plane):
// where the wait stands, or why kubectl gave no answer (its first error line).
ssh::Task<Result<ReadinessProgress>> look_at_nodes(ClusterRun& run, const std::vector<std::string>& expected) {
  auto r = co_await run.as_root(run.first_cp(), kNodeReadinessCommand, kReadyQueryTimeout);
  if (!r) co_return r.error();
  if (!r->success()) {
    const std::string first = r->err.substr(0, r->err.find('\n'));
    co_return Error(ErrorKind::kGeneric, first.empty() ? "kubectl: " + r->describe_exit() : first);
  }
  co_return readiness_progress(expected, parse_node_readiness(r->out));
}

ssh::Task<int> wait(ClusterRun& run) {
  std::vector<std::string> expected;
  for (const auto& [host, node] : run.state.node_names)
    if (!run.engine.host_down(host)) expected.push_back(node);
  const size_t count = expected.size();
  const ReadyWait w = co_await poll_ready(run, std::move(expected), kReadyDeadline);
  if (w.code == kClusterHostsFailed) {
    std::string waiting;
    for (const auto& line : w.waiting) waiting += "\n  " + line;
    run.message("fleetk8s: not Ready after waiting " + std::to_string(kReadyDeadline.count()) + " s:" +
                (waiting.empty() ? "\n  " + w.last : waiting));
  }
  if (w.code == kClusterOk) run.message("every node is Ready (" + std::to_string(count) + ")");
  co_return w.code;
}

}  // namespace

ssh::Task<ReadyWait> poll_ready(ClusterRun& run, std::vector<std::string> expected, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  ReadyWait w;
  ReadinessProgress p;
  while (true) {
    auto look = co_await look_at_nodes(run, expected);
    if (!look && is_unreachable(look.error().kind())) {
      run.message("fleetk8s: " + run.first_cp() + ": " + look.error().message());
      w.code = kClusterUnreachable;
      co_return w;
    }
    if (look && look->done()) co_return w;
    if (look) p = *look;
    const std::string now = look ? p.line : "the API server does not answer yet (" + look.error().message() + ")";
    if (now != w.last) run.message(w.last = now);
    w.waiting = p.waiting;
    if (run.engine.stopped()) {
      w.code = kClusterInterrupted;
      co_return w;
    }
    if (std::chrono::steady_clock::now() + kReadyPoll > deadline) {
      w.code = kClusterHostsFailed;
      co_return w;
    }
    co_await pause(kReadyPoll);
  }
}

ssh::Task<void> pause(std::chrono::seconds d) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, d);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

Phase wait_ready() {
  Phase p;
  p.title = "Wait until every node is Ready";
  p.hosts = "the first control plane (kubectl get nodes)";
  p.reads = "node names (connect)";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    const int code = co_await wait(run);
    co_return code == kClusterOk ? Outcome::next() : Outcome::end(code);
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
