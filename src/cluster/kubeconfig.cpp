// `fleetk8s kubeconfig`: fetch the admin kubeconfig again.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> kubeconfig_phases() { return {phases::kubeconfig()}; }

}  // namespace fleetk8s::cluster
