// What the cluster commands read before any host is contacted, shared by
// up/check/reset/kubeconfig and `schedule install` (which checks a timer's
// run now rather than at 3 a.m.). Defined in cluster_commands.cpp.
#pragma once

#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/cluster.h"

namespace fleetk8s::cli {

// The checked cluster settings for the -e items (see
// orchestrator::cluster_settings); errors are bad input (exit 1).
Result<Value::Object> checked_settings(const std::string& playbook_dir, const inventory::Inventory& inv,
                                       const orchestrator::ClusterRoles& roles,
                                       const std::vector<std::string>& extra_vars);

}  // namespace fleetk8s::cli
