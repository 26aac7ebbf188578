// `fleetk8s up`: connect and check → take the run lock → prepare every host
// → initialise the first control plane → renew the certificates due within
// cert_renew_days → capture the join data → join the other nodes → wait
// until every node is Ready → write the kubeconfig.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> up_phases() {
  return {phases::connect(),    phases::take_lock(),
          phases::prepare(),    phases::init(),
          phases::renew_certificates(false), phases::join_data(),
          phases::join_nodes(), phases::wait_ready(),
          phases::kubeconfig()};
}

}  // namespace fleetk8s::cluster
