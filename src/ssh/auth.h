// User authentication in OpenSSH's order: agent keys, key files, password.
// Private to src/ssh.
#pragma once

#include "fleetk8s/core/result.h"
#include "fleetk8s/ssh/options.h"
#include "session_core.h"

namespace fleetk8s::ssh {

// Authenticates `options.user` on an established session. On failure the
// error (kAuth) lists every method tried and why each failed, and says what
// to do about keys this libssh2 cannot use (RSA before libssh2 1.11).
Task<Result<void>> authenticate(SessionCore& core, const ConnectOptions& options,
                                const Deadline& deadline);

// The key type recorded in a private key file ("ssh-ed25519", "ssh-rsa",
// "ecdsa-sha2-nistp256", ...), read from its public part; "" if unknown.
std::string private_key_type(const std::string& path);

}  // namespace fleetk8s::ssh
