// Which hosts play which role, and the cluster's settings.
#include "fleetk8s/orchestrator/cluster.h"
#include "fleetk8s/yaml/node.h"

namespace fleetk8s::orchestrator {

namespace {

// The first of `names` that is a non-empty group, and its hosts.
std::pair<std::string, std::vector<std::string>> first_group(const inventory::Inventory& inv,
                                                             std::initializer_list<const char*> names) {
  for (const char* n : names) {
    auto hosts = inv.hosts_in(n);
    if (!hosts.empty()) return {n, hosts};
  }
  return {"", {}};
}

}  // namespace

Result<ClusterRoles> cluster_roles(inventory::Inventory& inv) {
  ClusterRoles roles;
  auto [cp_group, cps] = first_group(inv, {"control_plane", "kube_control_plane", "masters"});
  if (cps.empty())
    return Error(ErrorKind::kInvalidInput,
                 "the inventory has no control plane: put hosts in the group control_plane "
                 "(or kube_control_plane, or masters)");
  roles.control_planes = cps;
  auto [worker_group, workers] = first_group(inv, {"workers", "kube_node", "nodes"});
  for (const auto& w : workers)  // kubespray lists control planes in kube_node too
    if (std::find(cps.begin(), cps.end(), w) == cps.end()) roles.workers.push_back(w);
  // The playbooks speak of control_plane and workers.
  if (cp_group != "control_plane") {
    inv.add_group("control_plane");
    for (const auto& h : roles.control_planes) inv.add_host(h, "control_plane");
  }
  if (worker_group != "workers" && !roles.workers.empty()) {
    inv.add_group("workers");
    for (const auto& h : roles.workers) inv.add_host(h, "workers");
  }
  inv.finish();
  return roles;
}

Result<Value::Object> cluster_settings(const std::string& playbook_dir, const inventory::Inventory& inv,
                                       const ClusterRoles& roles, const Value::Object& extra_vars) {
  const std::string path = playbook_dir + "/vars/defaults.yml";
  auto node = yaml::load_file(path);
  if (!node) return node.error();
  Value defaults = yaml::to_value(*node);
  if (!defaults.is_object()) return Error(ErrorKind::kInvalidInput, path + ": expected a mapping of settings");
  Value::Object settings = defaults.as_object();
  const Value::Object host = inv.host_vars(roles.control_planes.front());
  for (auto& [key, value] : settings)
    if (auto it = host.find(key); it != host.end()) value = it->second;
  for (const auto& [key, value] : extra_vars) settings[key] = value;
  if (settings["kubernetes_version"].is_number())
    return Error(ErrorKind::kInvalidInput,
                 "kubernetes_version is the number " + settings["kubernetes_version"].to_json() +
                     ": quote it (kubernetes_version=\"1.30\"); unquoted, 1.30 is the number 1.3");
  return settings;
}

}  // namespace fleetk8s::orchestrator
