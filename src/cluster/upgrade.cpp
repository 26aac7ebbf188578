// `fleetk8s upgrade`: connect and check → plan the upgrade (steps, order,
// batches; blockers stop it before anything changes) → take the run lock →
// snapshot etcd (fetched here) → upgrade node by node → the admin
// kubeconfig again (kubeadm upgrade apply renewed its certificate). With --plan only the first two: nothing changes.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> upgrade_plan_phases() { return {phases::connect(), phases::plan_upgrade()}; }

std::vector<Phase> upgrade_phases() {
  return {phases::connect(), phases::plan_upgrade(), phases::take_lock(), phases::snapshot_etcd(),
          phases::roll_out(), phases::kubeconfig()};
}

}  // namespace fleetk8s::cluster
