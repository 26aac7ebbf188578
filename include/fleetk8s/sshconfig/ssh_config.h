// OpenSSH client configuration (ssh_config(5)): the settings fleetk8s takes
// from ~/.ssh/config, /etc/ssh/ssh_config or `-F FILE`, looked up per host
// as `ssh HOST` would. Pure text processing: no SSH, no network, so it is
// tested without either.
//
// Supported keywords: Host (patterns with * and ?, negation with !, several
// per line), Match (only `Match all` / `Match host PATTERNS`; other criteria
// are refused with the file and line), Include (globs; relative paths are
// under ~/.ssh for user files, /etc/ssh for the system file), HostName,
// User, Port, IdentityFile, IdentitiesOnly, UserKnownHostsFile,
// StrictHostKeyChecking, ProxyJump, ConnectTimeout. Other keywords OpenSSH
// knows are ignored (they concern the ssh client, not us); a keyword
// OpenSSH does not know is an error, as it is for ssh. As in OpenSSH, the
// first value obtained for a keyword wins, except IdentityFile which
// accumulates; `key=value` and `key value` forms and quoted arguments are
// accepted; tokens %h %p %r %u %n %d %% and a leading ~ are expanded in
// IdentityFile and UserKnownHostsFile.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::sshconfig {

// What the configuration says about one host. Unset fields: the file said
// nothing, the caller's defaults apply.
struct HostConfig {
  std::optional<std::string> hostname;  // %h already expanded
  std::optional<std::string> user;
  std::optional<int> port;
  std::vector<std::string> identity_files;  // tokens and ~ expanded
  std::optional<bool> identities_only;
  std::vector<std::string> user_known_hosts_files;  // tokens and ~ expanded
  // "yes", "no", "accept-new" or "ask" ("off" and "true"/"false" spellings
  // already normalised to these).
  std::optional<std::string> strict_host_key_checking;
  // ProxyJump as written ("user@bastion:2222,other"); "none" when the file
  // says none (which disables a later match).
  std::optional<std::string> proxy_jump;
  std::optional<std::chrono::seconds> connect_timeout;
};

// One `Host` line's patterns, for `inventory from-ssh-config`.
struct HostBlock {
  std::vector<std::string> patterns;  // as written, e.g. {"web1", "web1.example"}
  std::string file;                   // where the block starts
  int line = 0;
};

class SshConfig {
 public:
  SshConfig() = default;

  // Reads `path` and the files it includes. Errors (kInvalidInput) read
  // "FILE:LINE: message". A missing file is an error here; callers that
  // treat a missing ~/.ssh/config as empty check first.
  static Result<SshConfig> load(const std::string& path);

  // Parses `text` as if read from `file` (used in messages and to resolve
  // relative Includes against `include_dir`).
  static Result<SshConfig> parse(std::string_view text, const std::string& file, const std::string& include_dir);

  // Appends `other`'s entries after this one's (user config first, then
  // the system config: the first value found still wins).
  void append(const SshConfig& other);

  // The settings for `ssh HOST`, where `host` is the name as given on the
  // command line (in fleetk8s: ansible_host, or the inventory name).
  // `local_user` is %u and the default %r.
  HostConfig lookup(const std::string& host, const std::string& local_user) const;

  // Every Host block in file order, for turning a config into an inventory.
  std::vector<HostBlock> host_blocks() const;

  struct Entry;  // one parsed line; defined in the .cpp

 private:
  std::vector<Entry> entries_;
};

}  // namespace fleetk8s::sshconfig
