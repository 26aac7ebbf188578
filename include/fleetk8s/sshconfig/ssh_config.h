// OpenSSH client configuration (ssh_config(5)): the settings fleetk8s takes
// from ~/.ssh/config, /etc/ssh/ssh_config or `-F FILE`, looked up per host
// as `ssh HOST` would. Pure text processing: no SSH, no network, so it is
// tested without either (and compared with `ssh -G` of OpenSSH 9.2).
//
// Honoured keywords: Host (patterns with * and ?, negation with !, several
// per line; matched case-sensitively against the name as given, as OpenSSH
// does), Match (`all`, `host`, `originalhost`, `user`, `localuser`, with !
// and comma-separated pattern lists matched case-insensitively; `canonical`
// and `final` are treated as always true; `exec`, `localnetwork`, `tagged`
// are refused with the file and line), Include (globs, ~; relative paths
// are under ~/.ssh for user files, /etc/ssh for the system file; nested
// at most 16 deep, a loop is an error naming it), HostName (%h), User,
// Port (number or service name), IdentityFile, IdentitiesOnly,
// UserKnownHostsFile, StrictHostKeyChecking, ProxyJump, ProxyCommand,
// ConnectTimeout (OpenSSH time format: 90, 1m30s), HostKeyAlias (for %k),
// IgnoreUnknown. Every other keyword OpenSSH 9.2 knows (and the few newer
// releases added) is accepted and ignored: it concerns the ssh client, not
// us. A keyword OpenSSH does not know is an error, as it is for ssh.
//
// As in OpenSSH, the first value obtained for a keyword wins, except
// IdentityFile which accumulates (duplicates dropped); UserKnownHostsFile
// takes several paths on one line; whichever of ProxyJump and ProxyCommand
// comes first wins (but `ProxyJump none` leaves room for a ProxyCommand).
// `key=value` and `key value` forms, quoted arguments and comments are
// accepted, keywords in any case. Tokens %h %p %r %u %n %d %i %l %L %k %%
// (and %j in IdentityFile) and ${VAR}, and a leading ~, are expanded in
// IdentityFile and UserKnownHostsFile; an unknown token is an error when
// the file is read.
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
  // ProxyCommand as written (tokens not expanded), "none" included. Set
  // only when it came before any ProxyJump other than `ProxyJump none`
  // (as ssh -G shows). fleetk8s runs no proxy
  // commands: a caller refuses a host that has one rather than connecting
  // directly where ssh would not.
  std::optional<std::string> proxy_command;
  std::optional<std::chrono::seconds> connect_timeout;  // 0 = OpenSSH's "no timeout"
  // HostKeyAlias: the name the host key is looked up and recorded under.
  std::optional<std::string> host_key_alias;
};

// One `Host` line's patterns, for `inventory from-ssh-config`.
struct HostBlock {
  std::vector<std::string> patterns;  // as written, e.g. {"web1", "web1.example"}
  std::string file;                   // where the block starts
  int line = 0;
};

// A parsed configuration (with its Includes read). Immutable once built
// except by append(); safe to share between threads for lookups.
class SshConfig {
 public:
  SshConfig();
  ~SshConfig();
  SshConfig(const SshConfig&);
  SshConfig(SshConfig&&) noexcept;
  SshConfig& operator=(const SshConfig&);
  SshConfig& operator=(SshConfig&&) noexcept;

  // Reads `path` and the files it includes. Errors (kInvalidInput) read
  // "FILE:LINE: message". A missing file is an error here (kNotFound);
  // callers that treat a missing ~/.ssh/config as empty check first. A file
  // under /etc/ssh/ is a system file (relative Includes under /etc/ssh, ~
  // refused there), any other a user file (relative Includes under
  // $HOME/.ssh, as for `ssh -F FILE`).
  static Result<SshConfig> load(const std::string& path);

  // Parses `text` as if read from `file` (used in messages); relative
  // Includes are resolved against `include_dir` ("/etc/ssh" makes it a
  // system file, where ~ is refused).
  static Result<SshConfig> parse(std::string_view text, const std::string& file, const std::string& include_dir);

  // Appends `other`'s entries after this one's (user config first, then
  // the system config: the first value found still wins).
  void append(const SshConfig& other);

  // The settings for `ssh HOST`, where `host` is the name as given on the
  // command line (in fleetk8s: ansible_host, or the inventory name).
  // `local_user` is %u and the default %r (and what `Match localuser`
  // tests). The returned hostname is lower-cased, as ssh connects to it.
  HostConfig lookup(const std::string& host, const std::string& local_user) const;

  // Every Host block in file order, for turning a config into an inventory.
  std::vector<HostBlock> host_blocks() const;

  struct Entry;  // one parsed line; defined in src/sshconfig/entry.h

 private:
  std::vector<Entry> entries_;
};

}  // namespace fleetk8s::sshconfig
