// Turns inventory hosts into connection targets: the inventory's
// connection variables, filled in from command-line settings where the
// inventory says nothing (as in Ansible, inventory variables win).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/inventory/connection.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/exec_runner.h"

namespace fleetk8s::orchestrator {

// Settings from the command line (or their defaults).
struct ConnectionDefaults {
  std::string user;                               // -u; default $USER
  std::optional<std::string> private_key_file;    // --private-key
  std::optional<std::string> password;            // --ask-pass / --connection-password-file
  std::optional<std::string> key_passphrase;      // $FLEETK8S_KEY_PASSPHRASE
  std::string known_hosts_file;                   // --known-hosts; default ~/.ssh/known_hosts
  ssh::HostKeyPolicy host_key_policy = ssh::HostKeyPolicy::kStrict;
  std::chrono::milliseconds connect_timeout{10000};
  bool become = false;                            // --become
  std::optional<std::string> become_user;         // --become-user
  std::optional<std::string> become_password;     // --ask-become-pass / --become-password-file
};

// Builds one target per host in `hosts` (inventory names, in order).
// Errors name the host and the variable at fault.
Result<std::vector<ExecTarget>> make_targets(const inventory::Inventory& inv, const std::vector<std::string>& hosts,
                                             const ConnectionDefaults& defaults);

}  // namespace fleetk8s::orchestrator
