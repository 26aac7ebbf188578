// SshConfig::lookup(): replays the entries for one host, as ssh reads its
// configuration: a Host or Match line switches the following settings on
// or off, the first value of a setting wins.
#include <algorithm>
#include "fleetk8s/core/strings.h"
#include <cctype>
#include <tuple>

#include "entry.h"
#include "expand.h"
#include "pattern.h"

namespace fleetk8s::sshconfig {
namespace {

using Entry = SshConfig::Entry;

// HostName with %h (the host as given) and %% expanded.
std::string expand_hostname(const std::string& raw, const std::string& host) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 1 < raw.size()) {
      out += raw[i + 1] == 'h' ? host : std::string(1, raw[i + 1]);
      ++i;
    } else {
      out += raw[i];
    }
  }
  return out;
}

// The first value of each setting, as written.
struct Collected {
  std::optional<std::string> hostname, user, alias, strict, jump, command;
  std::optional<int> port;
  std::optional<bool> identities_only;
  std::optional<long> connect_timeout;
  std::vector<std::string> identity_files;
  std::optional<std::vector<std::string>> known_hosts;

  void apply(const Entry& e) {
    const auto first = [](auto& field, auto value) {
      if (!field) field = std::move(value);
    };
    switch (e.keyword) {
      case Keyword::kHostName: first(hostname, e.value); break;
      case Keyword::kUser: first(user, e.value); break;
      case Keyword::kHostKeyAlias: first(alias, e.value); break;
      case Keyword::kPort: first(port, std::stoi(e.value)); break;
      case Keyword::kIdentitiesOnly: first(identities_only, e.value == "yes"); break;
      case Keyword::kStrictHostKeyChecking: first(strict, e.value); break;
      case Keyword::kConnectTimeout: first(connect_timeout, std::stol(e.value)); break;
      case Keyword::kUserKnownHostsFile: first(known_hosts, e.args); break;
      case Keyword::kIdentityFile:
        if (std::find(identity_files.begin(), identity_files.end(), e.value) == identity_files.end())
          identity_files.push_back(e.value);
        break;
      // Whichever of ProxyJump and ProxyCommand comes first wins, except
      // that `ProxyJump none` does not stop a later ProxyCommand (ssh -G).
      case Keyword::kProxyJump:
        if (!jump && !command) jump = e.value;
        break;
      case Keyword::kProxyCommand:
        if (!command && (!jump || *jump == "none")) command = e.value;
        break;
      default: break;
    }
  }
};

struct Subject {
  const std::string& host;        // as given
  const std::string& local_user;
};

bool criterion_holds(const Criterion& c, const Subject& s, const Collected& got) {
  bool r = true;  // all, canonical, final
  if (c.name == "host") {
    const std::string current = got.hostname ? expand_hostname(*got.hostname, s.host) : s.host;
    r = match_pattern_list(current, c.patterns, true) == 1;
  } else if (c.name == "originalhost") {
    r = match_pattern_list(s.host, c.patterns, true) == 1;
  } else if (c.name == "user") {
    r = match_pattern_list(got.user ? *got.user : s.local_user, c.patterns, false) == 1;
  } else if (c.name == "localuser") {
    r = match_pattern_list(s.local_user, c.patterns, false) == 1;
  }
  return r != c.negated;
}

bool host_line_matches(const std::vector<std::string>& patterns, const std::string& host) {
  bool matched = false;
  for (const auto& p : patterns) {
    const bool negated = p[0] == '!';
    if (match_pattern(host, negated ? std::string_view(p).substr(1) : std::string_view(p))) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

}  // namespace

HostConfig SshConfig::lookup(const std::string& host, const std::string& local_user) const {
  Collected got;
  const Subject subject{host, local_user};
  bool active = true;
  bool never = false;  // inside a file included from an inactive block
  std::vector<std::pair<bool, bool>> saved;
  for (const Entry& e : entries_) {
    switch (e.kind) {
      case Entry::Kind::kFileStart:
        active = true;
        never = false;
        saved.clear();
        break;
      case Entry::Kind::kIncludeStart:
        saved.emplace_back(active, never);
        never = never || !active;
        break;
      case Entry::Kind::kIncludeEnd:
        std::tie(active, never) = saved.back();
        saved.pop_back();
        break;
      case Entry::Kind::kHost:
        active = !never && host_line_matches(e.args, host);
        break;
      case Entry::Kind::kMatch:
        active = !never && std::all_of(e.criteria.begin(), e.criteria.end(),
                                       [&](const Criterion& c) { return criterion_holds(c, subject, got); });
        break;
      case Entry::Kind::kOption:
        if (active) got.apply(e);
        break;
    }
  }

  HostConfig out;
  if (got.hostname) out.hostname = to_lower(expand_hostname(*got.hostname, host));
  out.user = got.user;
  out.port = got.port;
  out.identities_only = got.identities_only;
  out.strict_host_key_checking = got.strict;
  out.proxy_jump = got.jump;
  out.proxy_command = got.command;
  if (got.connect_timeout) out.connect_timeout = std::chrono::seconds(*got.connect_timeout);
  out.host_key_alias = got.alias;

  Tokens t = local_tokens(local_user);
  t.host = out.hostname ? *out.hostname : to_lower(host);
  t.port = std::to_string(got.port.value_or(22));
  t.remote_user = got.user.value_or(local_user);
  t.original_host = host;
  t.alias = got.alias.value_or(host);
  t.jump = got.jump && to_lower(*got.jump) != "none" ? *got.jump : "";
  for (const auto& f : got.identity_files) out.identity_files.push_back(expand_tokens(expand_tilde(f), t));
  if (got.known_hosts)
    for (const auto& f : *got.known_hosts) out.user_known_hosts_files.push_back(expand_tokens(expand_tilde(f), t));
  return out;
}

}  // namespace fleetk8s::sshconfig
