// The join data kubeadm prints, read back robustly: `kubeadm init`'s
// multi-line commands (any whitespace after a line-continuation backslash),
// `kubeadm token create --print-join-command`'s one line, and
// `kubeadm init phase upload-certs --upload-certs`'s certificate key.
// The output is remote, so hostile: read in one linear pass, no regex.
// The token and key are registered as secrets (report/secrets.h) the moment
// they are read, before a caller can print anything.
#pragma once

#include <string>

#include "fleetk8s/core/result.h"

namespace fleetk8s::orchestrator {

struct JoinData {
  std::string endpoint;         // host:port of the API server
  std::string token;            // [a-z0-9]{6}.[a-z0-9]{16}
  std::string ca_hash;          // sha256:<64 hex>
  std::string certificate_key;  // 64 hex; empty when not printed
};

// Parses the first worker join command in `text` (and a control-plane
// one's certificate key when there is one). Errors say what was missing.
Result<JoinData> parse_join_command(const std::string& text);

// The certificate key in upload-certs output (a line of 64 hex digits).
Result<std::string> parse_certificate_key(const std::string& text);

}  // namespace fleetk8s::orchestrator
