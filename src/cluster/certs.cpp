// `fleetk8s certs`: every control plane's certificates and when they
// expire, against cert_renew_days; changes nothing. `--renew`: run lock →
// renew where due (one control plane at a time, static pods restarted in
// order) → the admin kubeconfig again → the table as it is now.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> certs_phases(bool renew, bool force) {
  if (!renew) return {phases::certificates()};
  return {phases::take_lock(), phases::renew_certificates(force), phases::kubeconfig(), phases::certificates()};
}

}  // namespace fleetk8s::cluster
