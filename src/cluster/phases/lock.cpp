// The cluster's run lock (run_lock.h) on the first control plane, through
// its own connection of this run: taken before the first change, released
// when the command ends, whatever happened (ClusterRun::at_exit).
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

ssh::Task<int> acquire(ClusterRun& run) {
  const std::string& cp = run.first_cp();
  auto link = co_await run.engine.host_link(cp);
  if (!link) {
    run.message("fleetk8s: cannot take the run lock on " + cp + ": " + link.error().message());
    co_return kClusterControlPlane;
  }
  const auto wait = run.options.lock_wait;
  auto got = co_await RunLock::acquire(*link->connection, link->become, LockHolder::me(run.options.command), wait,
                                       [&](const LockHolder& holder) {
                                         run.message("fleetk8s: waiting up to " + std::to_string(wait.count()) +
                                                     " s for the run lock held by " + holder.describe());
                                       });
  if (!got) {
    run.message("fleetk8s: " + cp + ": " + got.error().message());
    co_return is_unreachable(got.error().kind()) ? kClusterUnreachable : kClusterControlPlane;
  }
  if (got->held_by) {
    run.message("fleetk8s: another run holds the cluster's run lock on " + cp + ": " + got->held_by->describe() +
                "; nothing was changed (wait for it, or use --wait-lock DURATION)");
    co_return kClusterLocked;
  }
  if (got->stale)
    run.message("fleetk8s: took over a stale run lock on " + cp + ": " + got->stale->describe() +
                " ended without releasing it");
  run.lock = std::move(got->lock);
  run.at_exit([&run]() -> ssh::Task<void> {
    if (!run.lock) co_return;
    if (auto r = co_await run.lock->release(); !r) run.message("fleetk8s: " + run.first_cp() + ": " + r.error().message());
    run.lock.reset();
  });
  co_return kClusterOk;
}

}  // namespace

Phase take_lock() {
  Phase p;
  p.title = "Take the cluster's run lock";
  p.hosts = "the first control plane";
  p.produces = "the run lock, held until the command ends";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    const int code = co_await acquire(run);
    co_return code == kClusterOk ? Outcome::next() : Outcome::end(code);
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
