// Host key verification against OpenSSH's known_hosts, after the key
// exchange and before any authentication.
// Private to src/ssh.
#pragma once

#include <functional>
#include <libssh2.h>
#include <string>

#include "fleetk8s/core/result.h"
#include "fleetk8s/ssh/options.h"

namespace fleetk8s::ssh {

// The host key libssh2 negotiated, in the forms messages and files need.
struct HostKeyInfo {
  std::string type_name;     // "ssh-ed25519", "ecdsa-sha2-nistp256", ...
  std::string fingerprint;   // "SHA256:..." as ssh-keygen -l prints it
  std::string base64;        // the key blob, as it appears in known_hosts
  int knownhost_type = 0;    // LIBSSH2_KNOWNHOST_KEY_* bits
};

// Reads the negotiated host key of `session`.
Result<HostKeyInfo> host_key_of(LIBSSH2_SESSION* session);

// The host-key algorithm preference to offer, most wanted first.
const char* host_key_method_preference();

// Checks the key against `options.known_hosts_file` (default
// ~/.ssh/known_hosts) under `options.host_key_policy`. With accept-new an
// unknown key is appended to the file. `notice` receives warnings.
// Returns kHostKeyUnknown / kHostKeyChanged / kHostKeyRevoked errors whose
// message names host, key type and fingerprint.
Result<void> verify_host_key(LIBSSH2_SESSION* session, const ConnectOptions& options,
                             const std::function<void(const std::string&)>& notice);

// "[host]:port" for non-22 ports, else "host": the known_hosts name form.
std::string known_hosts_name(const std::string& host, int port);

// Default known_hosts path: $HOME/.ssh/known_hosts.
std::string default_known_hosts_file();

}  // namespace fleetk8s::ssh
