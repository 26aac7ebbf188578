// Turns inventory hosts into connection targets. Each setting comes from
// the first source that has it, as Ansible's ssh command line and OpenSSH
// combine them:
//   1. the inventory's connection variables (ansible_host, ansible_port,
//      ansible_user, ansible_ssh_private_key_file, fleetk8s_known_hosts,
//      ansible_host_key_checking, ansible_ssh_timeout);
//   2. command-line flags (-u, --private-key, --known-hosts,
//      --host-key-checking, --connect-timeout, --jump);
//   3. options in ansible_ssh_common_args, then ansible_ssh_extra_args
//      (-o User=, -o Port=, -o ProxyJump=, -J, ProxyCommand 'ssh -W ...');
//   4. ssh_config (-F FILE, or ~/.ssh/config then /etc/ssh/ssh_config),
//      looked up for the name ssh would be given: ansible_host, else the
//      inventory name; its HostName replaces the address;
//   5. built-in defaults ($USER, port 22, ~/.ssh/id_*, ~/.ssh/known_hosts,
//      strict host key checking, 10 s).
// Jump hosts are resolved through ssh_config too, and otherwise inherit
// the known_hosts file, host-key policy, key files and timeout of the host
// behind them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/inventory/connection.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/exec_runner.h"
#include "fleetk8s/sshconfig/ssh_config.h"

namespace fleetk8s::orchestrator {

// Settings from the command line: unset ones leave the choice to the
// inventory's ssh args, ssh_config and the defaults.
struct ConnectionDefaults {
  std::string user;                               // -u; empty = not given
  std::optional<std::string> private_key_file;    // --private-key
  std::optional<std::string> password;            // --ask-pass / --connection-password-file
  std::optional<std::string> key_passphrase;      // $FLEETK8S_KEY_PASSPHRASE
  std::string known_hosts_file;                   // --known-hosts; empty = not given
  std::optional<ssh::HostKeyPolicy> host_key_policy;        // --host-key-checking
  std::optional<std::chrono::milliseconds> connect_timeout;  // --connect-timeout
  std::optional<std::string> jump;                // --jump "[user@]host[:port][,...]" (ssh -J)
  // The ssh_config to look hosts up in; null = none (-F none).
  std::shared_ptr<const sshconfig::SshConfig> ssh_config;
  bool become = false;                            // --become
  std::optional<std::string> become_user;         // --become-user
  std::optional<std::string> become_password;     // --ask-become-pass / --become-password-file
};

// Builds one target per host in `hosts` (inventory names, in order).
// Errors name the host and the variable or setting at fault. Options in
// ansible_ssh_*_args that fleetk8s does not support are reported once
// through report::log_warn, with the hosts they concern.
Result<std::vector<ExecTarget>> make_targets(const inventory::Inventory& inv, const std::vector<std::string>& hosts,
                                             const ConnectionDefaults& defaults);

}  // namespace fleetk8s::orchestrator
