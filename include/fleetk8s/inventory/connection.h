// How to reach one host: its connection settings, read from its effective
// inventory variables with Ansible's names and aliases.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/inventory/ssh_args.h"

namespace fleetk8s::inventory {

class Inventory;

struct Connection {
  std::string name;     // inventory name
  std::string address;  // ansible_host / ansible_ssh_host; default: the name
  int port = 22;        // ansible_port / ansible_ssh_port
  bool port_set = false;  // whether a variable gave the port (else ssh_config may)
  std::string user;     // ansible_user / ansible_ssh_user; empty = not set (caller uses $USER)
  std::optional<std::string> private_key_file;  // ansible_private_key_file / ansible_ssh_private_key_file (~ expanded)
  std::optional<std::string> password;          // ansible_password / ansible_ssh_pass / ansible_ssh_password
  bool become = false;                          // ansible_become
  std::string become_user = "root";             // ansible_become_user / ansible_sudo_user
  std::optional<std::string> become_password;   // ansible_become_password / ansible_become_pass / ansible_sudo_pass
  std::optional<std::string> known_hosts_file;  // fleetk8s_known_hosts (~ expanded)
  std::optional<bool> host_key_checking;        // ansible_host_key_checking / ansible_ssh_host_key_checking
  std::optional<int> timeout;                   // ansible_ssh_timeout (seconds)
  // ansible_ssh_common_args, then ansible_ssh_extra_args (the first value
  // of a setting wins, as in the ssh command line Ansible builds).
  SshArgs ssh_args;
};

// The settings for `host` from its effective variables. When several
// aliases are set, the later one in the lists above wins, as in Ansible's
// ssh and sudo plugins. Errors (kInvalidInput) name the host and the
// variable: "web1: ansible_port must be a number from 1 to 65535, got "x"".
// An unknown host is an error (kNotFound).
Result<Connection> connection_for(const Inventory& inv, std::string_view host);

// The same, from variables already merged (e.g. with play or extra vars).
Result<Connection> connection_from_vars(std::string_view host, const Value::Object& vars);

}  // namespace fleetk8s::inventory
