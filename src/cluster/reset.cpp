// `fleetk8s reset`: take the run lock → reset the chosen hosts.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> reset_phases(std::vector<std::string> hosts) {
  return {phases::take_lock(), phases::reset(std::move(hosts))};
}

}  // namespace fleetk8s::cluster
