// The connection and privilege flags shared by every subcommand that talks
// to hosts (exec now; run, up and check later), named as Ansible names them.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "fleetk8s/core/result.h"
#include "fleetk8s/orchestrator/connect_pacer.h"
#include "fleetk8s/orchestrator/targets.h"

namespace fleetk8s::cli {

struct ConnectionFlags {
  std::string inventory;
  std::string limit;
  int forks = 50;
  std::string user;
  std::string private_key;
  bool ask_pass = false;
  std::string connection_password_file;
  std::string known_hosts;
  std::string host_key_checking;  // empty = not given (ssh_config, else strict)
  double connect_timeout = 0;     // 0 = not given (ssh_config, else 10 s)
  int connect_parallel = -1;      // --connect-parallel: -1 = not given (orchestrator's default)
  int connect_retries = 2;        // --connect-retries
  std::string ssh_config;         // -F: empty = ~/.ssh/config + /etc/ssh/ssh_config; "none"
  std::string jump;               // --jump: ssh -J for every host
  bool become = false;
  std::string become_user;
  bool ask_become_pass = false;
  std::string become_password_file;
  int verbosity = 0;
};

// A flag's number of seconds: from 0 (or more than 0 without `zero_allowed`) to
// `max`. The bound also keeps the conversion to milliseconds defined (1e300,
// inf and nan are refused, not cast). Errors: "expected seconds, from 0 to
// 604800; got -1", "expected seconds, more than 0 and at most 3600; got 0".
CLI::Validator seconds_check(bool zero_allowed, double max);

// --connect-timeout's check: more than 0, at most an hour.
CLI::Validator connect_timeout_check();

// Registers the flags on `cmd`, writing into `flags`. With
// `inventory_argument` the inventory may also be the first argument
// (`fleetk8s up inventory.ini`).
void add_connection_flags(CLI::App& cmd, ConnectionFlags& flags, bool inventory_argument = false);

// Validates the flags, reads password files and prompts and the ssh_config
// files, and returns the resolved defaults for make_targets().
Result<orchestrator::ConnectionDefaults> resolve(const ConnectionFlags& flags);

// How connection attempts are paced and retried (--connect-parallel,
// --connect-retries), for RunOptions::connect and ExecRequest::connect.
orchestrator::ConnectPacing connect_pacing(const ConnectionFlags& flags);

}  // namespace fleetk8s::cli
