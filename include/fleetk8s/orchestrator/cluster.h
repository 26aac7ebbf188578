// What every cluster command (`up`, `check`, `reset`, `kubeconfig`; their
// phases are in src/cluster) reads before any host is contacted: the roles,
// the checked settings, the options, and the exit codes.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/playbook_engine.h"

namespace fleetk8s::orchestrator {

// Hosts by role. The inventory's groups may be named as kubeadm-ansible
// users name them (control_plane / workers), as kubespray does
// (kube_control_plane / kube_node) or the old way (masters / nodes).
struct ClusterRoles {
  std::vector<std::string> control_planes;  // the first runs kubeadm init
  std::vector<std::string> workers;
  // Hosts of either group marked fleetk8s_state=absent (taken out by
  // `fleetk8s remove`): in neither list above; up and check leave them out.
  std::vector<std::string> absent;
};

// Finds the roles and makes sure the inventory has the groups the playbooks
// use (`control_plane`, `workers`), adding them from the aliases. Errors
// (kInvalidInput): no control plane; a host in both roles, naming both
// groups and where the host was put in them (a control plane listed in
// kubespray's kube_node too is allowed: kubespray does so, and it stays a
// control plane only).
Result<ClusterRoles> cluster_roles(inventory::Inventory& inventory);

// The cluster settings: playbooks/vars/defaults.yml, overridden by the
// inventory's variables of the first control plane, overridden by -e
// (`extra_origins`: where each -e name was set, "-e" when absent).
// Only keys of defaults.yml are taken from the inventory. Every setting is
// checked here, before any host is contacted (versions 1.24 to 1.34,
// networks, URLs, booleans, firewall_mode, control_plane_endpoint,
// cluster_name, kubeadm_extra_config, each host's node_ip); an error is one
// line: "WHERE: NAME is VALUE: expected ...", WHERE being "FILE:LINE" in the
// inventory or defaults.yml, "group_vars/GROUP", or "-e". A cni_manifest
// file given relative to the working directory comes back absolute.
// The result also holds what api_endpoint() chose, for the playbooks:
// api_endpoint (kubeadm's controlPlaneEndpoint; "" for the first control
// plane's advertise address) and node_local_api (true: haproxy on every
// node).
Result<Value::Object> cluster_settings(const std::string& playbook_dir, const inventory::Inventory& inventory,
                                       const ClusterRoles& roles, const Value::Object& extra_vars,
                                       const std::map<std::string, std::string>& extra_origins = {});

// Where every node reaches the API server: the one place this is chosen.
//  - control_plane_endpoint when set (a load balancer, a DNS name, a VIP);
//  - else, with several control planes, the node-local endpoint: haproxy on
//    every node (control planes too) at 127.0.0.1:7443, forwarding to every
//    control plane's API server that answers its health check (kubespray's
//    localhost load balancer, k0s' node-local load balancing, on k0s' port);
//  - else, one control plane: its own address, port 6443 ("" here: the
//    playbooks know the address).
inline constexpr const char* kNodeLocalApi = "127.0.0.1:7443";
struct ApiEndpoint {
  std::string address;      // host:port, or "" for the first control plane's advertise address
  bool node_local = false;  // haproxy on every node serves `address`
};
ApiEndpoint api_endpoint(const Value::Object& settings, const ClusterRoles& roles);

// What the node-local endpoint forwards to: one {name, address} per control
// plane, address being node_ip, else ansible_host, else the host's name.
// Error (kInvalidInput, naming the inventory line): an address that is no
// IP address or DNS name.
Result<Value::Array> api_servers(const inventory::Inventory& inventory, const ClusterRoles& roles);

struct ClusterOptions {
  std::string playbook_dir;     // where prepare.yml & co. live
  bool skip_preflight = false;  // --skip-preflight
  std::string kubeconfig_out;   // where the admin kubeconfig goes
  std::string api_server;       // host:port the controller reaches the API at
  // host:port the controller reaches each control plane's API server at
  // (control_plane_endpoint for all when it is set).
  std::map<std::string, std::string> control_plane_api;
  std::string command = "up";   // the command, and who holds the run lock: "up", "reset", "upgrade"
  std::chrono::seconds lock_wait{0};  // --wait-lock: how long to wait for another run
  // upgrade: --to (empty: kubernetes_version), --max-unavailable, --plan.
  std::string upgrade_to;
  std::string max_unavailable = "1";
  bool plan_only = false;
  bool no_drain = false;                      // upgrade --no-drain
  std::chrono::seconds drain_timeout{300};    // upgrade --drain-timeout
  bool no_snapshot = false;                   // upgrade --no-snapshot
  bool ignore_blockers = false;               // upgrade --ignore-blockers: the plan's blockers said, not obeyed
  bool force = false;                         // remove --force: unreachable nodes too; blockers said, not obeyed
  std::string backup_dir;                     // where etcd snapshots go on this machine (--backup-dir, --out)
  int keep_backups = 0;                       // backup --keep: snapshots kept there (0: all)
};

// Exit codes of up / check / reset / kubeconfig, stable for scripts and
// timers (README and --help say the same).
inline constexpr int kClusterOk = 0;             // converged (check: nothing would change)
inline constexpr int kClusterBadInput = 1;       // bad input: nothing was run
inline constexpr int kClusterDrift = 2;          // check: something would change
inline constexpr int kClusterHostsFailed = 3;    // some host failed (or is not Ready)
inline constexpr int kClusterControlPlane = 3;   // ... the control plane did: nothing joined
inline constexpr int kClusterUnreachable = 4;    // some host unreachable, none failed
inline constexpr int kClusterPreflight = 5;      // up: preflight found problems, nothing changed
inline constexpr int kClusterLocked = 6;         // another run holds the cluster's run lock
inline constexpr int kClusterInterrupted = 130;  // Ctrl-C (SIGINT/SIGTERM)

}  // namespace fleetk8s::orchestrator
