// Secrets never reach the user's screen, logs or reports: every line the
// reporters and the logger write goes through mask_secrets(). Known secrets
// are registered as they become known (a parsed join token); kubeadm's
// bootstrap tokens and certificate keys are also masked by their shape,
// wherever they appear (kubeadm init's output, a failing join's message).
#pragma once

#include <string>

namespace fleetk8s::report {

// Registers `secret` (ignored when shorter than 6 characters).
void add_secret(const std::string& secret);

// `text` with every registered secret, bootstrap token
// ([a-z0-9]{6}.[a-z0-9]{16}) and certificate key (64 hex digits after
// --certificate-key or certificateKey:) replaced by "********".
std::string mask_secrets(const std::string& text);

}  // namespace fleetk8s::report
