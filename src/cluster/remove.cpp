// `fleetk8s remove`: plan the removal (who leaves, reachable or not, what
// would block a drain, etcd's quorum afterwards; nothing changes) → take
// the run lock → drain the nodes → the node-local endpoints without the
// control planes that leave → kubeadm reset on them (it removes a control
// plane's own etcd member) → the etcd members left behind removed → delete
// their Node objects. kubeadm's documented order: the kubelet is stopped by
// the reset before the Node goes, so it cannot register itself again.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> remove_phases(std::vector<std::string> hosts) {
  return {phases::plan_removal(std::move(hosts)), phases::take_lock(),     phases::drain_leaving(),
          phases::update_endpoints(),                 phases::reset_leaving(), phases::remove_members(),
          phases::delete_nodes()};
}

}  // namespace fleetk8s::cluster
