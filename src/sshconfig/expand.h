// Expanding ~ and %-tokens in IdentityFile and UserKnownHostsFile, as ssh
// does once the configuration is complete.
#pragma once

#include <string>

namespace fleetk8s::sshconfig {

// The values the tokens stand for.
struct Tokens {
  std::string host;           // %h: HostName (lower-cased) or the host as given
  std::string port;           // %p
  std::string remote_user;    // %r
  std::string local_user;     // %u
  std::string original_host;  // %n: the host as given
  std::string home;           // %d
  std::string uid;            // %i
  std::string local_host;     // %l: this machine's host name
  std::string short_host;     // %L: its first label
  std::string alias;          // %k: HostKeyAlias, else the host as given
  std::string jump;           // %j: ProxyJump, else empty
};

// The tokens that do not depend on the configuration: %u %d %i %l %L.
Tokens local_tokens(const std::string& local_user);

// The running user's home directory from the password database (ssh
// ignores $HOME here), else $HOME.
std::string home_directory();

// "~" and "~/x" -> home_directory(); "~user/x" -> that user's home; other
// paths unchanged (tilde_expand_filename()).
std::string expand_tilde(const std::string& path);

// %h %p %r %u %n %d %i %l %L %k %j %% and ${VAR}. The text was checked
// when it was read (check_tokens), so every token is known here.
std::string expand_tokens(const std::string& text, const Tokens& tokens);

}  // namespace fleetk8s::sshconfig
