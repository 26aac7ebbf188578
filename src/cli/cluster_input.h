// What the cluster commands read before any host is contacted, shared by
// up/check/reset/kubeconfig, `watch` (which reads it again when the
// inventory changes) and `schedule install` (which checks a timer's run now
// rather than at 3 a.m.). Defined in cluster_commands.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connection_flags.h"

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/cluster.h"
#include "fleetk8s/orchestrator/exec_runner.h"
#include "fleetk8s/orchestrator/targets.h"

namespace fleetk8s::cli {

// The checked cluster settings for the -e items (see
// orchestrator::cluster_settings); errors are bad input (exit 1).
Result<Value::Object> checked_settings(const std::string& playbook_dir, const inventory::Inventory& inv,
                                       const orchestrator::ClusterRoles& roles,
                                       const std::vector<std::string>& extra_vars);

// A cluster's inventory, roles and settings, checked, and how to reach it.
struct ClusterInput {
  std::unique_ptr<inventory::Inventory> inventory;  // (the engine keeps a reference: never moved)
  orchestrator::ClusterRoles roles;
  Value::Object settings;                           // checked_settings()
  orchestrator::ClusterOptions options;             // playbook_dir, control_plane_api, api_server
  std::vector<std::string> hosts;                   // control planes, then workers; --limit applied
  orchestrator::ConnectionDefaults defaults;        // the connection flags resolved
  std::vector<orchestrator::ExecTarget> targets;    // the control planes, then `hosts`
};

// Reads and checks the inventory of `conn`, its cluster roles, the
// playbooks and settings (-e `extra_vars`), --limit, the connection flags
// and key files. Errors are bad input (exit 1), with file:line where they
// have one; nothing is contacted.
Result<ClusterInput> read_cluster_input(const ConnectionFlags& conn, const std::vector<std::string>& extra_vars,
                                        const std::string& playbook_dir_flag);

}  // namespace fleetk8s::cli
