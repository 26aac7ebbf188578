// `fleetk8s check`: the phases of `up` that look at hosts, in check mode
// (nothing changes, so no run lock and no join token), the control planes'
// certificates against cert_renew_days, then the drift.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> check_phases() {
  return {phases::connect(), phases::prepare(), phases::init(), phases::join_nodes(), phases::certificate_drift(), phases::kubelet_certificates(),
          phases::control_plane_health(),
          phases::drift()};
}

}  // namespace fleetk8s::cluster
