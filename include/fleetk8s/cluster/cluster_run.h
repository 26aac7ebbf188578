// What the phases of one cluster command share: the engine (one SSH
// connection per host for the whole command), the roles and options, the
// reporter, the ClusterState the phases fill in, the run lock, and the
// helpers every phase uses (run a playbook of playbooks/, read what a
// playbook registered, say something, turn an error into an exit code).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fleetk8s/cluster/phase.h"
#include "fleetk8s/cluster/versions.h"
#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/orchestrator/cluster.h"
#include "fleetk8s/orchestrator/join_data.h"
#include "fleetk8s/orchestrator/playbook_engine.h"
#include "fleetk8s/orchestrator/run_lock.h"
#include "fleetk8s/playbook/model.h"

namespace fleetk8s::cluster {

// Facts about the cluster, each found once per run by the phase named.
struct ClusterState {
  std::vector<std::string> hosts;    // this run's control planes, then workers (inventory order)
  std::string first_control_plane;   // runs kubeadm init and holds the run lock
  std::string api_endpoint;          // host:port the controller reaches the API server at (options)
  // connect: each reached host's node name (ansible_nodename), inventory order.
  // A watch cycle seeds them with what the last full check of the hosts it
  // does not check in full found (unchanged since).
  std::vector<std::pair<std::string, std::string>> node_names;
  // connect: each reached host's kubelet package version ("" when none); seeded as node_names.
  std::vector<std::pair<std::string, std::string>> kubelet_versions;
  // init: the hosts (not the first control plane) that are no member yet
  // (no /etc/kubernetes/kubelet.conf), reached ones only.
  std::vector<std::string> joining;
  // upgrade's plan: the API server's version, and the releases to step through.
  std::optional<KubeVersion> control_plane_version;
  std::vector<KubeVersion> upgrade_steps;
  // upgrade's plan: nodes an interrupted upgrade left cordoned (node name ->
  // the release it was drained for: the fleetk8s.io/upgrade-drained annotation).
  std::map<std::string, std::string> left_cordoned;
  // remove's plan: the nodes that leave, and what each needs.
  struct Leaving {
    std::string host, node;   // inventory name; node name (the host's name, else the inventory's)
    bool reachable = false;   // its SSH connection works
    bool member = false;      // it has /etc/kubernetes/kubelet.conf (kubeadm joined it)
    bool node_object = false; // the API server lists its Node
    bool control_plane = false;
    std::string etcd_id;      // its etcd member (hex), "" when it has none
  };
  std::vector<Leaving> leaving;
  // check: what is broken beyond drift ("cp1: ..."): certificates expired,
  // missing or unreadable; an API server not running; an etcd member
  // missing, unhealthy or left behind.
  std::vector<std::string> problems;
  // restore's plan: the manifest's SHA-256 of the snapshot; with etcd 3.6
  // or later, the etcdutl to fetch from etcd's release (its version, e.g.
  // "3.6.5", and the host's architecture, e.g. "amd64"); empty: etcdctl
  // 3.5 in the etcd pod restores.
  std::string restore_sha256;
  std::string restore_etcdutl, restore_arch;
  // snapshot_etcd: the cluster CA's hash ("sha256:..."), "" when the
  // control plane could not say: prune_backups removes only that cluster's.
  std::string snapshot_ca_hash;
  // join data: what `kubeadm join` needs (its secrets are masked).
  std::optional<orchestrator::JoinData> join;
};

class ClusterRun {
 public:
  ClusterRun(orchestrator::PlaybookEngine& engine, const orchestrator::ClusterRoles& roles,
             const orchestrator::ClusterOptions& options, report::PlaybookReporter& reporter);
  ~ClusterRun();

  orchestrator::PlaybookEngine& engine;
  const orchestrator::ClusterRoles& roles;
  const orchestrator::ClusterOptions& options;
  report::PlaybookReporter& reporter;
  ClusterState state;
  std::unique_ptr<orchestrator::RunLock> lock;  // held by the lock phase until the end
  // check: what would change (report::make_change_recorder); may be null.
  std::vector<std::pair<std::string, std::string>>* changes = nullptr;

  bool check() const { return engine.options().check; }
  // True when `host` is one of this run's hosts (state.hosts).
  bool among_hosts(const std::string& host) const;
  const std::string& first_cp() const { return state.first_control_plane; }

  // Runs playbooks/FILE on `hosts` (one of the engine's runs; none: nothing
  // runs, the playbook is not even read). Errors: the
  // playbook could not be loaded, or the run was interrupted (kCancelled).
  ssh::Task<Result<void>> playbook(const std::string& file, std::vector<std::string> hosts);

  // What a playbook registered on `host` as `var` (its `field`); nullptr /
  // "" when absent.
  const Value* registered_value(const std::string& host, const std::string& var, const std::string& field) const;
  std::string registered(const std::string& host, const std::string& var, const std::string& field = "stdout") const;

  // Runs `script` (fixed text) as root on `host` over its connection of
  // this run, with `args` as its positional parameters $1, $2, ...: each
  // value reaches it as one shell-quoted word, never as script text.
  // Errors: unreachable, the timeout.
  ssh::Task<Result<CommandResult>> as_root(const std::string& host, const std::string& script,
                                           std::vector<std::string> args, std::chrono::seconds timeout);
  ssh::Task<Result<CommandResult>> as_root(const std::string& host, const std::string& script,
                                           std::chrono::seconds timeout) {
    return as_root(host, script, std::vector<std::string>(), timeout);
  }

  void message(const std::string& text);
  // A step of `host`'s story for the reports' node timeline ("drained").
  void milestone(const std::string& host, const std::string& what) { reporter.milestone(host, what); }
  // Says "fleetk8s: MESSAGE"; kClusterInterrupted for a cancelled run, else
  // kClusterBadInput.
  int fail(const Error& e);
  // After the phases: 3 when a host failed, else 4 when one was unreachable.
  int hosts_verdict() const;
  // True (and says so) when the first control plane is down after `what`
  // ("prepared"): nothing may join then.
  bool control_plane_down(const char* what);

  // Runs once the phases are over, in reverse order of registration.
  void at_exit(std::function<ssh::Task<void>()> cleanup);
  ssh::Task<void> run_exits();

 private:
  std::vector<std::unique_ptr<playbook::Playbook>> books_;  // compiled tasks point into them
  std::vector<std::function<ssh::Task<void>()>> exits_;
};

}  // namespace fleetk8s::cluster
