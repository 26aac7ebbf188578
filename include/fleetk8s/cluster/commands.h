// The cluster commands, each a list of phases (phase.h) in its own file:
// up.cpp, check.cpp, reset.cpp, kubeconfig.cpp. The cli parses flags,
// builds the engine and the ClusterRun, and calls run_phases on the list.
#pragma once

#include <string>
#include <vector>

#include "fleetk8s/cluster/phase.h"
#include "fleetk8s/core/result.h"

namespace fleetk8s::cluster {

// `fleetk8s up`: install or converge the cluster (engine in normal mode).
std::vector<Phase> up_phases();
// `fleetk8s check`: the same work in check mode, no lock, no join data, and
// the drift as the verdict (engine in check mode).
std::vector<Phase> check_phases();
// `fleetk8s watch --fix`: the OS preparation of the hosts whose drift a
// check cycle found (ClusterRun::state.hosts set to them), under the run
// lock; never kubeadm init, join or upgrade (engine in normal mode).
std::vector<Phase> fix_phases();
// `fleetk8s reset`: reset.yml on `hosts`, under the run lock.
std::vector<Phase> reset_phases(std::vector<std::string> hosts);
// `fleetk8s kubeconfig`: the admin kubeconfig again.
std::vector<Phase> kubeconfig_phases();

// `fleetk8s upgrade --plan`: what an upgrade would do and what blocks it,
// changing nothing (engine in check mode).
std::vector<Phase> upgrade_plan_phases();
// `fleetk8s upgrade`: the plan, then the rollout under the run lock.
std::vector<Phase> upgrade_phases();
// `fleetk8s remove`: plan → run lock → drain → node-local endpoints →
// kubeadm reset → etcd members → delete the Node objects, for `hosts`.
std::vector<Phase> remove_phases(std::vector<std::string> hosts);
// `fleetk8s certs`: every control plane's certificates and when they expire;
// with `renew`, first the run lock, the renewal of those due (every one:
// `force`) and the admin kubeconfig again.
std::vector<Phase> certs_phases(bool renew, bool force);
// `fleetk8s backup`: an etcd snapshot fetched here, older ones pruned.
std::vector<Phase> backup_phases();
// `fleetk8s restore`: a single control plane's etcd from a backup's snapshot.
std::vector<Phase> restore_phases();
// A snapshot folder as `backup` wrote it (DIR/snapshot.db, DIR/manifest.json)
// of the cluster named `cluster`, its size as the manifest says: the
// manifest's SHA-256 of snapshot.db and the hash of the cluster's CA
// ("sha256:" and 64 hex digits; "" in a manifest written before it was
// recorded). Errors (kInvalidInput) name the file.
struct SnapshotFolder {
  std::string sha256;
  std::string ca_hash;
};
Result<SnapshotFolder> check_snapshot_folder(const std::string& dir, const std::string& cluster);

}  // namespace fleetk8s::cluster
