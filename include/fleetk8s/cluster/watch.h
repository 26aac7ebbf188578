// `fleetk8s watch`: one long-lived controller that keeps an SSH session to
// every host and checks the fleet every few seconds.
//
// Each cycle is a new PlaybookEngine over the sessions of a SessionPool (no
// handshake after the first cycle): the cluster's `check` phases (or a
// playbook in check mode). The cluster's check first takes every host's
// fingerprint (fingerprint.h: one round-trip); a host whose fingerprint is
// the one its last clean full check saw, less than `full_every` ago, is not
// checked in full again (its state is known: converged). The control planes'
// health (API servers running, etcd members present and healthy) is checked
// every cycle. What a cycle finds new is said at once, one line
// per host and task ("drift: web3: Disable swap now"), and so is what went
// away; a cycle that found something new gets a run folder, as any run.
// With fix on, the hosts whose OS preparation drifted are corrected (the
// same tasks in normal mode, under the cluster's run lock, at most
// `max_fix` hosts at once); what `up`, `upgrade` or `certs --renew` must do
// (kubeadm init, join, upgrade, certificates) is only reported.
//
// A host that cannot be reached is said once; it is tried again after a
// pause that doubles each time (from `every` to 5 minutes), and said again
// when it is back. The inventory is read again before a cycle when its file
// changed or reload() was called; an inventory that no longer reads is said
// (file:line) and the one loaded before stays.
//
// Use from the pool's executor only; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fleetk8s/cluster/fingerprint.h"
#include "fleetk8s/cluster/watch_flags.h"
#include "fleetk8s/cluster/phase.h"
#include "fleetk8s/core/result.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/cluster.h"
#include "fleetk8s/orchestrator/playbook_engine.h"
#include "fleetk8s/orchestrator/session_pool.h"
#include "fleetk8s/playbook/model.h"

namespace fleetk8s::cluster {

class ClusterRun;

// What the cycles check, as read from the inventory (again when it changes).
struct WatchFleet {
  std::unique_ptr<inventory::Inventory> inventory;  // never moved once an engine uses it
  orchestrator::ClusterRoles roles;                  // the cluster's check (no playbook)
  orchestrator::ClusterOptions options;
  std::vector<std::string> hosts;                    // the hosts checked, inventory order
  std::vector<orchestrator::ExecTarget> targets;     // every host a cycle may reach
  orchestrator::RunOptions run_options;              // check mode is set by the watch
  std::shared_ptr<const playbook::Playbook> book;    // a playbook to check; null: the cluster's check
};

// Reads the fleet; errors are bad input (file:line where there is one).
using FleetLoader = std::function<Result<WatchFleet>()>;

struct WatchSettings {
  std::chrono::milliseconds every{30000};  // from the start of one cycle to the next
  // The cluster's check: a host unchanged by its fingerprint is checked in
  // full at least this often (<= every: every cycle, no fingerprints).
  std::chrono::milliseconds full_every{kDefaultFullCheckEvery};
  bool fix = false;
  int max_fix = 1;                         // hosts fixed at once
  int verbosity = 0;                       // >= 1: a line for every cycle
  std::string runs_dir;                    // run folders ("": none)
  int keep_runs = 50;
  std::vector<std::string> argv;           // the command line, for the run folders
  std::vector<std::string> watched_files;  // a change to one of them re-reads the fleet
};

// One host as the watch last saw it: what the metrics serve.
struct HostWatch {
  bool up = false;         // reached in the last cycle
  int drifted = 0;         // tasks that would change (last cycle that reached it)
  double last_check = 0;   // Unix time of the last cycle that reached it (0: never)
  std::uint64_t fixes = 0; // fix runs on it since the watch started
};

class Watch {
 public:
  // `pool` is borrowed and must outlive the watch; `say` prints one line.
  Watch(orchestrator::SessionPool& pool, WatchSettings settings, FleetLoader load,
        std::function<void(const std::string&)> say);
  ~Watch();

  // Reads the fleet for the first time. Errors: bad input (nothing contacted).
  Result<void> load();
  const WatchFleet& fleet() const { return *fleet_; }

  // Cycles until stop(). Returns the exit status: 0 once stopped.
  ssh::Task<int> run();

  // SIGTERM, Ctrl-C: the running cycle starts no new task; run() returns
  // once the running tasks are over.
  void stop();
  // SIGHUP: the fleet is read again before the next cycle, which starts now.
  void reload();

  // For the metrics: every host of the fleet, by name.
  const std::map<std::string, HostWatch>& hosts() const { return hosts_; }
  double last_cycle_seconds() const { return last_cycle_seconds_; }
  int cycles() const { return cycle_; }

 private:
  struct Cycle;
  ssh::Task<void> reload_if_changed();
  ssh::Task<void> revive_due();
  ssh::Task<void> run_engine(Cycle& c, const std::vector<std::string>& hosts);
  std::vector<Phase> cycle_phases(Cycle& c);
  ssh::Task<std::vector<std::string>> probe(ClusterRun& run, Cycle& c);
  void note_baselines(const Cycle& c);
  void seed_known(ClusterRun& run) const;
  ssh::Task<void> fix(Cycle& c);
  void note_hosts(Cycle& c);
  void say_findings(Cycle& c);
  void say_summary(const Cycle& c, double cpu);
  void write_run_folder(Cycle& c, const std::string& what);
  ssh::Task<void> pause();

  orchestrator::SessionPool& pool_;
  const WatchSettings settings_;
  const FleetLoader load_;
  const std::function<void(const std::string&)> say_;

  std::unique_ptr<WatchFleet> fleet_;
  std::map<std::string, std::string> file_stamps_;       // watched file -> file_stamp (mtime and size), as loaded
  bool reload_asked_ = false;
  bool stopped_ = false;
  orchestrator::PlaybookEngine* running_ = nullptr;  // the engine of the running cycle or fix
  struct Timer;
  std::unique_ptr<Timer> timer_;

  int cycle_ = 0;
  double last_cycle_seconds_ = 0;
  std::map<std::string, HostWatch> hosts_;
  std::set<std::string> findings_;  // what the last cycle found ("drift: web3: task"), said once
  struct Lost {
    std::chrono::steady_clock::time_point since, next_try;
    std::chrono::milliseconds pause{0};
    bool tried = false;  // revived for the running cycle
  };
  std::map<std::string, Lost> lost_;
  std::map<std::string, Baseline> baselines_;  // hosts whose last full check was clean
  struct Known {
    std::string node, kubelet;  // node name, kubelet package version ("": none)
  };
  std::map<std::string, Known> known_;  // as the last full check of each host found them
  std::string bad_inventory_;  // the last inventory error said (said once)
  std::string postponed_;      // why the last fix was postponed (the run lock's holder; said once)
  std::set<std::string> fix_trouble_, fix_trouble_now_;  // fixes that failed: the last round's, this one's
};

// The Prometheus text exposition of `watch`'s hosts and last cycle.
std::string prometheus_text(const std::map<std::string, HostWatch>& hosts, double cycle_seconds, int cycles);

}  // namespace fleetk8s::cluster
