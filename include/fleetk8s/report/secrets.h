// Secrets never reach the user's screen, logs, run folders or reports:
// every string the reporters, the logger and the command line front write
// goes through mask_secrets() BEFORE it is encoded (JSON, HTML), so an
// escaped quote or backslash cannot carry a secret past the mask.
//
// Two kinds of secrets are masked:
//  - registered ones (passwords, a parsed join token), of any length but 0,
//    the longest first, so a secret containing another leaks no part;
//  - kubeadm's by their shape, wherever they appear: bootstrap tokens
//    ([a-z0-9]{6}.[a-z0-9]{16}) and certificate keys (64 hex digits after
//    --certificate-key, certificateKey:, or "certificate key:" and a line
//    break, as `kubeadm init phase upload-certs` prints it). The discovery
//    hash (sha256:...) is public and left alone. Every one found is also
//    registered, so it stays masked where it later appears bare.
//
// The scan is linear in the text and uses constant stack, whatever the
// input (remote output is hostile); text without any secret is returned
// after a few memchr-speed searches. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "fleetk8s/core/value.h"

namespace fleetk8s::report {

// What a masked secret is replaced with.
inline constexpr std::string_view kMask = "********";

// Registers `secret` to be masked wherever it appears (ignored when empty).
void add_secret(const std::string& secret);

// `text` with every secret (see above) replaced by kMask; overlapping or
// adjacent secrets become one kMask.
std::string mask_secrets(std::string_view text);

// Whether `s` is exactly a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16}).
bool is_bootstrap_token(std::string_view s);

// Whether `s` is exactly a certificate key (64 lower-case hex digits).
bool is_certificate_key(std::string_view s);

// `value` with every string in it (object keys too) masked. Secrets found
// by shape anywhere in it are registered first, so a key printed on a line
// of its own in "stdout_lines" is masked as it is in "stdout".
Value mask_value(const Value& value);

// Registers the secrets found by shape anywhere in `value` (mask_value's
// first step), for a document masked in parts: learn from every part first.
void learn_secrets(const Value& value);

}  // namespace fleetk8s::report
