// `fleetk8s certs`: every control plane's certificates and when they
// expire, against cert_renew_days. Changes nothing.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> certs_phases() { return {phases::certificates()}; }

}  // namespace fleetk8s::cluster
