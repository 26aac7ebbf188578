// The OpenSSH command-line options admins put in ansible_ssh_common_args
// and ansible_ssh_extra_args, read as the settings fleetk8s supports:
// `-o Key=Value` (also `-oKey=Value`, `-o "Key Value"`) for Port, User,
// IdentityFile, IdentitiesOnly, UserKnownHostsFile, StrictHostKeyChecking,
// ConnectTimeout, ProxyJump and ProxyCommand (only the jump-host forms
// `ssh [opts] -W %h:%p [user@]bastion` and `ssh [opts] [user@]bastion nc %h
// %p`: fleetk8s runs no local command to reach a host), and -J, -i, -p, -l.
// Anything else is listed as ignored, for a warning. Pure text: no SSH.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::inventory {

struct SshArgs {
  std::optional<std::string> user;
  std::optional<int> port;
  std::vector<std::string> identity_files;  // ~ expanded
  std::optional<bool> identities_only;
  std::optional<std::string> known_hosts_file;  // the first UserKnownHostsFile, ~ expanded
  // "yes", "no", "accept-new" or "ask" (OpenSSH's spellings normalised).
  std::optional<std::string> strict_host_key_checking;
  std::optional<int> connect_timeout;  // seconds
  // "[user@]host[:port][,...]" (ProxyJump / -J, or built from a
  // ProxyCommand), or "none".
  std::optional<std::string> proxy_jump;
  // What a ProxyCommand's own ssh options (-i, -o ...) set for the jump
  // host it names; null when there is none.
  std::shared_ptr<const SshArgs> jump_settings;
  // Options read but not supported ("-o ForwardAgent=yes", "-A"), for a
  // warning: they are not applied.
  std::vector<std::string> ignored;
};

// Reads `text` (shell-quoted, as Ansible splits it) into `args`. Settings
// already in `args` are kept: as with OpenSSH, the first value wins, so
// read ansible_ssh_common_args before ansible_ssh_extra_args. Errors
// (kInvalidInput) start with `where` ("worker01: ansible_ssh_common_args")
// and say what was expected.
Result<void> parse_ssh_args(std::string_view text, SshArgs& args, const std::string& where);

// Reads one ProxyCommand value (as ssh_config or -o gives it) into
// args.proxy_jump and args.jump_settings, unless a jump is already set;
// "none" sets "none". Any command but an ssh jump is an error starting
// with `where`.
Result<void> parse_proxy_command(std::string_view command, SshArgs& args, const std::string& where);

}  // namespace fleetk8s::inventory
