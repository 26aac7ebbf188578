// `fleetk8s check`: the phases of `up` that look at hosts, in check mode
// (nothing changes, so no run lock and no join token), the control planes'
// certificates against cert_renew_days, then the drift. `watch --fix`: what
// of it a watch may correct on its own.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> check_phases() {
  return {phases::connect(), phases::prepare(), phases::init(), phases::join_nodes(), phases::certificate_drift(), phases::kubelet_certificates(),
          phases::control_plane_health(),
          phases::drift()};
}

std::vector<Phase> fix_phases() { return {phases::connect(), phases::take_lock(), phases::prepare()}; }

}  // namespace fleetk8s::cluster
