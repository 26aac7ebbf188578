// Roll the upgrade out, step by step (one minor each), node by node, as
// kubeadm documents it: the first control plane (kubeadm package, `kubeadm
// upgrade apply`), the other control planes one at a time, then the
// workers in batches (`kubeadm upgrade node`); every node drained before
// its kubelet changes, Ready again before it is uncordoned, and each
// batch's evicted pods running again before the next batch is drained.
// A node that fails stops the rollout after its batch; a node whose drain
// failed is uncordoned again; a node already at the step's release is
// skipped, so a second run finishes an interrupted one. Each node drained
// carries the annotation fleetk8s.io/upgrade-drained=RELEASE until it is
// uncordoned: a run interrupted in between (Ctrl-C, a lost controller)
// leaves it, and the next run uncordons that node once it is at RELEASE
// and Ready. Every step of a node is a milestone of the reports' timeline.
#include <map>

#include "fleetk8s/cluster/upgrade_plan.h"
#include "fleetk8s/core/strings.h"
#include "drain.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

constexpr std::chrono::seconds kRolloutPoll{2};
constexpr std::chrono::seconds kNodeReadyDeadline{300};
constexpr std::chrono::seconds kPodsBackDeadline{300};

// Whether `kubectl get pods -A --no-headers` lists a pod whose STATUS
// (the fourth column) is Pending.
bool any_pending(const std::string& out) {
  for (const auto& line : split_trimmed(out, '\n')) {
    std::vector<std::string> cols;
    for (const auto& c : split_trimmed(line, ' '))
      if (!c.empty()) cols.push_back(c);
    if (cols.size() > 3 && cols[3] == "Pending") return true;
  }
  return false;
}

class Rollout {
 public:
  explicit Rollout(ClusterRun& run) : run_(run) {
    for (const auto& [host, node] : run.state.node_names) node_of_[host] = node;
    for (const auto& [host, version] : run.state.kubelet_versions) version_of_[host] = version;
  }

  ssh::Task<int> all_steps() {
    if (int code = co_await finish_interrupted(); code != kClusterOk) co_return code;
    const auto& steps = run_.state.upgrade_steps;
    if (steps.empty()) co_return kClusterOk;
    for (size_t s = 0; s < steps.size(); ++s) {
      const std::string to = steps[s].str();
      run_.message("step " + std::to_string(s + 1) + " of " + std::to_string(steps.size()) + ": Kubernetes " + to);
      run_.engine.set_extra_var("upgrade_version", to);
      if (int code = co_await one_step(to); code != kClusterOk) co_return code;
    }
    run_.message("every node runs Kubernetes " + steps.back().str());
    co_return kClusterOk;
  }

 private:
  // The nodes an interrupted run drained and left cordoned that run their
  // release already: Ready, then uncordoned. The others go through their
  // batch again (drained again, so uncordoned at its end).
  ssh::Task<int> finish_interrupted() {
    std::vector<std::string> done;
    for (const auto& [host, node_name] : node_of_) {
      auto it = run_.state.left_cordoned.find(node_name);
      if (it == run_.state.left_cordoned.end()) continue;
      const auto at = KubeVersion::parse(version_of_[host]);
      const auto want = KubeVersion::parse(it->second);
      if (at && want && at->at_least(*want)) done.push_back(host);
    }
    if (done.empty()) co_return kClusterOk;
    run_.message(list(done) + ": left cordoned by an interrupted upgrade at their release: uncordon once Ready");
    if (int code = co_await wait_ready(done); code != kClusterOk) co_return code;
    if (!co_await uncordon(done)) co_return kClusterHostsFailed;
    co_return kClusterOk;
  }

  // The control planes one by one, then the workers in batches.
  ssh::Task<int> one_step(const std::string& to) {
    const auto& cps = run_.roles.control_planes;
    for (size_t i = 0; i < cps.size(); ++i) {
      std::vector<std::string> one{cps[i]};  // (GCC 12: no braced temporaries in a co_await's arguments)
      if (int code = co_await batch(std::move(one), to, /*apply=*/i == 0); code != kClusterOk) co_return code;
    }
    const auto size = batch_size(run_.options.max_unavailable, run_.roles.workers.size());
    for (const auto& b : worker_batches(run_.roles.workers, size ? *size : 1))
      if (int code = co_await batch(b, to, false); code != kClusterOk) co_return code;
    co_return kClusterOk;
  }

  std::string node(const std::string& host) const {
    auto it = node_of_.find(host);
    return it == node_of_.end() ? host : it->second;
  }

  static std::string list(const std::vector<std::string>& hosts) { return join(hosts, ", "); }

  ssh::Task<bool> uncordon(const std::vector<std::string>& hosts) {
    std::vector<std::string> nodes;
    for (const auto& h : hosts) nodes.push_back(node(h));
    auto r = co_await phases::uncordon(run_, std::move(nodes));
    if (!r || !r->success()) {
      run_.message("fleetk8s: could not uncordon " + list(hosts) + ": " + (r ? r->err : r.error().message()));
      co_return false;
    }
    for (const auto& h : hosts) run_.milestone(h, "uncordoned");
    co_return true;
  }

  // One node, or one batch of workers, through kubeadm's steps.
  ssh::Task<int> batch(std::vector<std::string> hosts, const std::string& to, bool apply) {
    std::vector<std::string> todo;
    for (const auto& h : hosts) {
      if (run_.engine.host_down(h)) {
        run_.message("fleetk8s: " + h + " is unreachable: the rollout stops before it");
        co_return kClusterUnreachable;
      }
      // At (or past) this step already: an earlier run upgraded it.
      const auto at = KubeVersion::parse(version_of_[h]);
      const auto& api = run_.state.control_plane_version;
      const auto step = *KubeVersion::parse(to);
      if (at && at->at_least(step) && (!apply || (api && api->at_least(step))))
        run_.message(h + ": at " + at->str() + " already");
      else
        todo.push_back(h);
    }
    if (todo.empty()) co_return kClusterOk;
    const std::string who = list(todo);
    run_.message(who + ": kubeadm " + to + (apply ? ", kubeadm upgrade apply" : ", kubeadm upgrade node"));
    run_.engine.set_extra_var("upgrade_apply", apply);
    if (auto r = co_await run_.playbook("upgrade-kubeadm.yml", todo); !r) co_return run_.fail(r.error());
    if (int code = failed_hosts(todo, "kubeadm"); code != kClusterOk) co_return code;
    for (const auto& h : todo) run_.milestone(h, std::string(apply ? "kubeadm upgrade apply v" : "kubeadm upgrade node, ") + to);

    if (!run_.options.no_drain) {
      run_.message(who + ": drain");
      std::vector<std::string> nodes;
      for (const auto& h : todo) nodes.push_back(node(h));
      auto r = co_await drain(run_, std::move(nodes), run_.options.drain_timeout, to);
      if (!r || !r->success()) {
        const std::string why = failure_text(r);
        run_.message("fleetk8s: the drain of " + who + " failed:\n" + why);
        co_await uncordon(todo);
        run_.message("fleetk8s: " + who + " uncordoned again; nothing else changed on them after kubeadm; the rollout stops here");
        co_return kClusterHostsFailed;
      }
      for (const auto& h : todo) run_.milestone(h, "drained");
    }
    run_.message(who + ": kubelet and kubectl " + to + ", restart the kubelet");
    if (auto r = co_await run_.playbook("upgrade-kubelet.yml", todo); !r) co_return run_.fail(r.error());
    if (int code = failed_hosts(todo, "kubelet"); code != kClusterOk) {
      // The rest of the batch is finished (Ready, uncordoned); only the
      // nodes that failed after their drain stay cordoned.
      std::vector<std::string> failed, rest;
      for (const auto& h : todo) (run_.engine.host_down(h) ? failed : rest).push_back(h);
      if (!rest.empty()) {
        const int ready = co_await wait_ready(rest);
        if (ready == kClusterOk && !run_.options.no_drain) co_await uncordon(rest);
      }
      if (!run_.options.no_drain)
        run_.message("fleetk8s: " + list(failed) + " stay cordoned (drained, then their kubelet upgrade failed): "
                     "fix them, then run upgrade again (it goes on from there), or uncordon by hand");
      co_return code;
    }
    for (const auto& h : todo) run_.milestone(h, "kubelet " + to);
    if (int code = co_await wait_ready(todo); code != kClusterOk) co_return code;
    for (const auto& h : todo) run_.milestone(h, "Ready");
    if (!run_.options.no_drain) {
      if (!co_await uncordon(todo)) co_return kClusterHostsFailed;
      if (int code = co_await wait_pods(); code != kClusterOk) co_return code;
    }
    for (const auto& h : todo) version_of_[h] = to;
    run_.message(who + ": at " + to);
    co_return kClusterOk;
  }

  int failed_hosts(const std::vector<std::string>& hosts, const char* what) {
    std::vector<std::string> down;
    for (const auto& h : hosts)
      if (run_.engine.host_down(h)) down.push_back(h);
    if (down.empty()) return kClusterOk;
    for (const auto& h : down) run_.milestone(h, std::string("failed at the ") + what + " step");
    run_.message(std::string("fleetk8s: the ") + what + " step failed on " + list(down) +
                 " (see above): the rollout stops after this batch");
    return kClusterHostsFailed;
  }

  ssh::Task<int> wait_ready(const std::vector<std::string>& hosts) {
    std::vector<std::string> expected;
    for (const auto& h : hosts) expected.push_back(node(h));
    const ReadyWait w = co_await poll_ready(run_, std::move(expected), kNodeReadyDeadline);
    if (w.code == kClusterHostsFailed)
      run_.message("fleetk8s: " + list(hosts) + " not Ready after " + std::to_string(kNodeReadyDeadline.count()) +
                   " s: they stay cordoned; the rollout stops here");
    co_return w.code;
  }

  // The pods evicted from the batch are running again elsewhere: no pod of
  // the cluster Pending.
  ssh::Task<int> wait_pods() {
    const auto deadline = std::chrono::steady_clock::now() + kPodsBackDeadline;
    while (true) {
      auto r = co_await run_.as_root(run_.first_cp(),
                                     "export KUBECONFIG=/etc/kubernetes/admin.conf\nkubectl get pods -A --no-headers\n",
                                     kQueryTimeout);
      if (r && r->success() && !any_pending(r->out)) co_return kClusterOk;
      if (run_.engine.stopped()) co_return kClusterInterrupted;
      if (std::chrono::steady_clock::now() + kRolloutPoll > deadline) {
        run_.message("fleetk8s: pods still Pending after " + std::to_string(kPodsBackDeadline.count()) +
                     " s (kubectl get pods -A): the rollout stops before the next batch");
        co_return kClusterHostsFailed;
      }
      co_await pause(kRolloutPoll);
    }
  }

  ClusterRun& run_;
  std::map<std::string, std::string> node_of_, version_of_;
};

}  // namespace

Phase roll_out() {
  Phase p;
  p.title = "Upgrade node by node";
  p.hosts = "the control planes one at a time, then the workers in batches";
  p.reads = "the steps (plan), node names and kubelet versions (connect)";
  p.changes = true;
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    Rollout rollout(run);
    const int code = co_await rollout.all_steps();
    co_return code == kClusterOk ? Outcome::next() : Outcome::end(code);
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
