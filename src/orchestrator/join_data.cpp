#include "fleetk8s/orchestrator/join_data.h"

#include <string_view>
#include <vector>

#include "fleetk8s/report/secrets.h"

namespace fleetk8s::orchestrator {

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool starts_with(std::string_view s, std::string_view head) { return s.substr(0, head.size()) == head; }
bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The words of `text` (split on any whitespace), without the backslash
// that ends a line (whatever blanks follow it): kubeadm's line
// continuations. One pass, no regex: the text is remote output.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < text.size();) {
    while (i < text.size() && blank(text[i])) ++i;
    const size_t begin = i;
    while (i < text.size() && !blank(text[i])) ++i;
    if (i == begin) break;
    std::string_view w = text.substr(begin, i - begin);
    size_t j = i;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (w.back() == '\\' && (j == text.size() || text[j] == '\r' || text[j] == '\n')) w.remove_suffix(1);
    if (!w.empty()) out.push_back(w);
  }
  return out;
}

// The options after `kubeadm join ENDPOINT` that starts at `w[at]`:
// "--name value", "--name=value" or a bare "--flag"; the command ends at
// the first word that is neither.
struct JoinCommand {
  std::string_view endpoint, token, ca_hash, certificate_key;
};

JoinCommand read_command(const std::vector<std::string_view>& w, size_t at) {
  JoinCommand c;
  c.endpoint = w[at];
  for (size_t i = at + 1; i < w.size() && starts_with(w[i], "--"); ++i) {
    std::string_view name = w[i].substr(2), value;
    if (const size_t eq = name.find('='); eq != std::string_view::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < w.size() && !starts_with(w[i + 1], "--")) {
      value = w[++i];
    }
    if (name == "token") c.token = value;
    else if (name == "discovery-token-ca-cert-hash") c.ca_hash = value;
    else if (name == "certificate-key") c.certificate_key = value;
  }
  return c;
}

bool is_ca_hash(std::string_view s) {
  // sha256: and 64 lower-case hex digits, a certificate key's shape.
  return starts_with(s, "sha256:") && report::is_certificate_key(s.substr(7));
}

}  // namespace

Result<JoinData> parse_join_command(const std::string& text) {
  const std::vector<std::string_view> w = words(text);
  std::vector<JoinCommand> commands;
  for (size_t i = 0; i + 2 < w.size(); ++i)
    if (ends_with(w[i], "kubeadm") && w[i + 1] == "join") commands.push_back(read_command(w, i + 2));
  if (commands.empty()) return Error(ErrorKind::kInvalidInput, "no `kubeadm join` command in kubeadm's output");
  JoinData d;
  d.endpoint = commands.front().endpoint;
  // The worker command has no --control-plane; take the options of every
  // join command: the token and hash are the same in both.
  for (const auto& c : commands) {
    if (d.token.empty()) d.token = c.token;
    if (d.ca_hash.empty()) d.ca_hash = c.ca_hash;
    if (d.certificate_key.empty()) d.certificate_key = c.certificate_key;
  }
  // The secrets are masked from here on, before anything can print them.
  if (!report::is_bootstrap_token(d.token)) return Error(ErrorKind::kInvalidInput, "the join command has no valid --token");
  report::add_secret(d.token);
  if (!d.certificate_key.empty() && !report::is_certificate_key(d.certificate_key))
    return Error(ErrorKind::kInvalidInput, "the join command's --certificate-key is not 64 hex digits");
  report::add_secret(d.certificate_key);
  if (!is_ca_hash(d.ca_hash))
    return Error(ErrorKind::kInvalidInput, "the join command has no valid --discovery-token-ca-cert-hash");
  if (d.endpoint.find(':') == std::string::npos)
    return Error(ErrorKind::kInvalidInput, "the join command's endpoint '" + d.endpoint + "' has no port");
  return d;
}

Result<std::string> parse_certificate_key(const std::string& text) {
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    while (!line.empty() && blank(line.back())) line.remove_suffix(1);
    if (report::is_certificate_key(line)) {
      report::add_secret(std::string(line));  // masked from here on
      return std::string(line);
    }
  }
  return Error(ErrorKind::kInvalidInput, "no certificate key in kubeadm's output");
}

}  // namespace fleetk8s::orchestrator
