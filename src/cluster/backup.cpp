// `fleetk8s backup`: snapshot etcd on the first control plane (another one
// when it is down) and fetch it
// here with the cluster's certificates → remove the snapshots here beyond
// --keep. Changes nothing in the cluster, so it takes no run lock.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> backup_phases() {
  return {phases::reach_control_plane(), phases::snapshot_etcd(), phases::prune_backups()};
}

}  // namespace fleetk8s::cluster
