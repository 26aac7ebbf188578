// `fleetk8s inventory from-ssh-config`: an Ansible INI inventory from
// OpenSSH client configuration, such as `vagrant ssh-config` prints.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/sshconfig/ssh_config.h"

namespace fleetk8s::cli {

struct SshConfigInventoryOptions {
  std::string source;                       // the config's name, for the header comment and messages
  std::vector<std::string> control_planes;  // empty: the first host
  std::vector<std::string> group_vars;      // KEY=VALUE lines for [all:vars], as written
  // Where hosts whose configuration switches host-key checking off
  // (StrictHostKeyChecking no, UserKnownHostsFile /dev/null) keep their
  // keys instead: an absolute path.
  std::string rig_known_hosts;
  std::string local_user;  // %u, and the default %r
};

struct SshConfigInventory {
  std::string ini;                 // the inventory text
  std::vector<std::string> notes;  // one-line remarks for stderr
};

// One host per Host block with a concrete name (its first pattern without
// * ? or !; blocks of only wildcards are defaults, not hosts), with the
// block's effective settings as ansible_host, ansible_port, ansible_user,
// ansible_private_key_file, its ProxyJump (or ProxyCommand),
// StrictHostKeyChecking and UserKnownHostsFile as ansible_ssh_common_args
// (`-o Key=Value`, read by
// ansible-playbook's ssh and by fleetk8s alike); groups control_plane and
// workers. Host-key checking is never switched off: hosts whose config does
// (StrictHostKeyChecking no, UserKnownHostsFile /dev/null) get
// StrictHostKeyChecking=accept-new with rig_known_hosts, and a note says
// so. Errors: an
// unknown --control-plane name, a name or value the INI format cannot
// hold, a bad --group-vars.
Result<SshConfigInventory> inventory_from_ssh_config(const sshconfig::SshConfig& config,
                                                     const SshConfigInventoryOptions& options);

}  // namespace fleetk8s::cli
