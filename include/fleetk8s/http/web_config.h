// The file of `fleetk8s watch --metrics-config FILE`: TLS and basic
// authentication for the metrics endpoint, in the format of Prometheus
// exporters' --web.config.file (prometheus/exporter-toolkit), so the file a
// node_exporter uses works here as it is:
//
//   tls_server_config:
//     cert_file: server.crt     # PEM; relative paths are from this file's folder
//     key_file: server.key      # PEM; must not be readable by group or others
//     client_auth_type: RequireAndVerifyClientCert   # optional, with client_ca_file
//     client_ca_file: ca.crt
//     min_version: TLS13        # optional: TLS12 (the default) or TLS13
//   basic_auth_users:
//     prometheus: $2y$10$...    # bcrypt hashes, as the toolkit takes them
//
// As strict as the toolkit (an unknown key is an error) and stricter where
// it matters: a private key others can read is refused, as OpenSSH refuses
// one. Not supported: http_server_config, cipher_suites, curve_preferences,
// max_version, client_allowed_sans (each an error naming it).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "fleetk8s/core/result.h"

namespace fleetk8s::http {

struct WebConfig {
  struct Tls {
    std::string cert_file;  // absolute paths
    std::string key_file;
    std::string client_ca_file;                      // "" when none
    std::string client_auth_type = "NoClientCert";   // NoClientCert, RequestClientCert, RequireAnyClientCert,
                                                     // VerifyClientCertIfGiven, RequireAndVerifyClientCert
    bool tls13_only = false;                         // min_version: TLS13
  };
  std::optional<Tls> tls;                          // none: plain HTTP
  std::map<std::string, std::string> basic_auth;  // user -> bcrypt hash; empty: no authentication
};

// Reads and checks the file. Errors (kInvalidInput) read "FILE:LINE:COL:
// what was expected"; an unreadable file or key names its path.
Result<WebConfig> load_web_config(const std::string& path);

// Whether `password` is `user`'s, by the file's bcrypt hash (crypt(3) of
// libxcrypt). Slow on purpose (bcrypt's cost): callers cache a success. An
// unknown user costs the same as a known one (a decoy hash is checked).
bool check_basic_auth(const WebConfig& config, const std::string& user, const std::string& password);

// The bcrypt hash check_basic_auth compares `user`'s password with (the
// decoy for an unknown user), and whether `password` matches a hash. Apart,
// so the slow half can run on another thread with copies.
const std::string& basic_auth_hash(const WebConfig& config, const std::string& user);
bool bcrypt_matches(const std::string& hash, const std::string& password);

}  // namespace fleetk8s::http
