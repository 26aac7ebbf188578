#include "join_data.h"

#include <regex>

namespace fleetk8s::orchestrator {

Result<JoinData> parse_join_command(const std::string& text) {
  // Line continuations become spaces first, whatever whitespace follows.
  const std::string flat = std::regex_replace(text, std::regex(R"(\\[ \t]*\r?\n[ \t]*)"), " ");
  static const std::regex join(R"(kubeadm join\s+(\S+)((?:\s+--[a-z-]+(?:[ =](?!--)\S+)?)*))");
  std::smatch m;
  if (!std::regex_search(flat, m, join)) return Error(ErrorKind::kInvalidInput, "no `kubeadm join` command in kubeadm's output");
  JoinData d;
  d.endpoint = m[1];
  auto option = [](const std::string& args, const std::string& name) {
    std::smatch o;
    const std::regex re("--" + name + R"([ =](\S+))");
    return std::regex_search(args, o, re) ? o[1].str() : std::string();
  };
  // The worker command has no --control-plane; take the options of every
  // join command: the token and hash are the same in both.
  for (auto it = std::sregex_iterator(flat.begin(), flat.end(), join); it != std::sregex_iterator(); ++it) {
    const std::string args = (*it)[2];
    if (d.token.empty()) d.token = option(args, "token");
    if (d.ca_hash.empty()) d.ca_hash = option(args, "discovery-token-ca-cert-hash");
    if (d.certificate_key.empty()) d.certificate_key = option(args, "certificate-key");
  }
  if (!std::regex_match(d.token, std::regex("[a-z0-9]{6}\\.[a-z0-9]{16}")))
    return Error(ErrorKind::kInvalidInput, "the join command has no valid --token");
  if (!std::regex_match(d.ca_hash, std::regex("sha256:[0-9a-f]{64}")))
    return Error(ErrorKind::kInvalidInput, "the join command has no valid --discovery-token-ca-cert-hash");
  if (!d.certificate_key.empty() && !std::regex_match(d.certificate_key, std::regex("[0-9a-f]{64}")))
    return Error(ErrorKind::kInvalidInput, "the join command's --certificate-key is not 64 hex digits");
  if (d.endpoint.find(':') == std::string::npos)
    return Error(ErrorKind::kInvalidInput, "the join command's endpoint '" + d.endpoint + "' has no port");
  return d;
}

Result<std::string> parse_certificate_key(const std::string& text) {
  std::smatch m;
  static const std::regex key(R"((?:^|\n)([0-9a-f]{64})\s*(?:\n|$))");
  if (!std::regex_search(text, m, key)) return Error(ErrorKind::kInvalidInput, "no certificate key in kubeadm's output");
  return m[1].str();
}

}  // namespace fleetk8s::orchestrator
