// `fleetk8s upgrade --plan`: connect and check → plan the upgrade (steps,
// order, batches, blockers). Changes nothing, takes no lock.
#include "fleetk8s/cluster/commands.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

std::vector<Phase> upgrade_plan_phases() { return {phases::connect(), phases::plan_upgrade()}; }

}  // namespace fleetk8s::cluster
