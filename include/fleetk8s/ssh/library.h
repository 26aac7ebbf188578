// Which SSH library the engine runs with, for `fleetk8s --version` and for
// callers (and tests) whose behaviour depends on it. No Asio, no libssh2.
#pragma once

#include <string>

namespace fleetk8s::ssh {

// The libssh2 this process runs with.
struct SshLibrary {
  std::string version;         // libssh2_version(0) at run time: "1.11.1"
  std::string crypto_backend;  // "OpenSSL", "libgcrypt", "mbedTLS", ...
  std::string origin;          // "system" or "bundled" (cmake/Libssh2.cmake)
  // Signs RSA user keys with rsa-sha2-256/512 and accepts rsa-sha2 host
  // keys (libssh2 1.11 and later). Without it OpenSSH 8.8 and later refuse
  // RSA keys and hosts with only an RSA host key cannot be reached.
  bool rsa_sha2 = false;
};

// Reads the library's run-time version; safe before global_init().
SshLibrary ssh_library();

// One line for --version: "libssh2 1.11.1 (OpenSSL, bundled)".
std::string ssh_library_text();

}  // namespace fleetk8s::ssh
