#include "fleetk8s/core/strings.h"
#include "fleetk8s/inventory/ssh_args.h"

#include <cctype>
#include <cstdlib>

#include "fleetk8s/core/file.h"
#include "fleetk8s/core/shlex.h"

namespace fleetk8s::inventory {
namespace {

// ssh(1)'s options that take an argument (its getopt string).
constexpr std::string_view kWithArgument = "bceilmopBDEFIJLOPQRSWw";
// Options without effect on how a host is reached: accepted silently.
constexpr std::string_view kHarmless = "qvCTtnN46";

// A value as ssh_config reads it: one pair of surrounding double quotes removed.
std::string unquote(std::string v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  return v;
}

class ArgsReader {
 public:
  ArgsReader(SshArgs& args, const std::string& where) : a_(args), where_(where) {}

  // Reads the tokens of one ssh command line. With `command` (a
  // ProxyCommand's ssh) the -W target, the destination and the remote
  // command are collected instead of being ignored.
  Result<void> read(const std::vector<std::string>& tokens, bool command) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const std::string& t = tokens[i];
      if (t.size() < 2 || t[0] != '-') {
        if (!command) {
          a_.ignored.push_back(t);
          continue;
        }
        if (destination_.empty()) {  // ssh reads options after the destination too
          destination_ = t;
          continue;
        }
        rest_.assign(tokens.begin() + static_cast<std::ptrdiff_t>(i), tokens.end());  // the remote command
        return {};
      }
      for (std::size_t k = 1; k < t.size(); ++k) {
        const char f = t[k];
        if (kWithArgument.find(f) == std::string_view::npos) {
          if (kHarmless.find(f) == std::string_view::npos) a_.ignored.push_back(std::string("-") + f);
          continue;
        }
        std::string value = t.substr(k + 1);
        if (value.empty()) {
          if (i + 1 >= tokens.size()) return bad(std::string("-") + f + " needs a value");
          value = tokens[++i];
        }
        if (auto r = flag(f, value, command); !r) return r;
        break;
      }
    }
    return {};
  }

  // `ssh [opts] -W %h:%p [user@]host` or `ssh [opts] [user@]host nc %h %p`
  // becomes a ProxyJump; the ssh's own options apply to the jump host.
  Result<void> proxy_command(const std::string& value) {
    if (to_lower(value) == "none") return set_once(a_.proxy_jump, "none");
    auto tokens = shlex_split(value, ShlexComments::kStrip);
    if (!tokens) return bad("ProxyCommand " + value + ": " + tokens.error().message());
    const std::string program = tokens->empty() ? "" : tokens->front().substr(tokens->front().rfind('/') + 1);
    const std::string unsupported =
        "ProxyCommand '" + value +
        "' is not supported: fleetk8s runs no local command to reach a host. Only a jump through "
        "ssh is understood ('ssh -W %h:%p [user@]bastion'); or use ProxyJump=[user@]bastion[:port]";
    if (program != "ssh") return bad(unsupported);
    auto jump = std::make_shared<SshArgs>();
    ArgsReader inner(*jump, where_ + ": ProxyCommand");
    std::vector<std::string> args(tokens->begin() + 1, tokens->end());
    if (auto r = inner.read(args, true); !r) return r;
    const auto& rest = inner.rest();
    const bool forwards = inner.forward() && (*inner.forward() == "%h:%p" || *inner.forward() == "[%h]:%p") &&
                          rest.empty();
    const bool netcat = !inner.forward() && rest.size() == 3 && (rest[0] == "nc" || rest[0] == "netcat") &&
                        rest[1] == "%h" && rest[2] == "%p";
    if (inner.destination().empty() || (!forwards && !netcat)) return bad(unsupported);
    std::string host = inner.destination();
    std::string user = jump->user.value_or("");
    if (auto at = host.rfind('@'); at != std::string::npos) {
      if (user.empty()) user = host.substr(0, at);
      host = host.substr(at + 1);
    }
    if (host.find(':') != std::string::npos) host = "[" + host + "]";  // an IPv6 address
    std::string spec = (user.empty() ? "" : user + "@") + host;
    if (jump->port) spec += ":" + std::to_string(*jump->port);
    if (jump->proxy_jump && *jump->proxy_jump != "none") spec = *jump->proxy_jump + "," + spec;
    for (const auto& o : jump->ignored) a_.ignored.push_back("ProxyCommand's " + o);
    jump->user.reset();
    jump->port.reset();
    jump->proxy_jump.reset();
    jump->ignored.clear();
    if (a_.proxy_jump) return {};
    a_.proxy_jump = spec;
    a_.jump_settings = std::move(jump);
    return {};
  }

  const std::string& destination() const { return destination_; }
  const std::vector<std::string>& rest() const { return rest_; }
  const std::optional<std::string>& forward() const { return forward_; }

 private:
  Result<void> flag(char f, const std::string& value, bool command) {
    switch (f) {
      case 'o': return option(value);
      case 'J': return set_once(a_.proxy_jump, value);
      case 'i': a_.identity_files.push_back(expand_home(value)); return {};
      case 'l': return set_once(a_.user, value);
      case 'p': return port(value, "-p");
      case 'W':
        if (command) {
          forward_ = value;
          return {};
        }
        break;
      default: break;
    }
    a_.ignored.push_back(std::string("-") + f + " " + value);
    return {};
  }

  Result<void> option(const std::string& text) {
    const std::size_t sep = text.find_first_of("= \t");
    if (sep == std::string::npos) return bad("-o " + text + ": expected Key=Value");
    const std::string key = to_lower(trim(text.substr(0, sep)));
    std::string value = trim(text.substr(sep + 1));
    if (!value.empty() && value[0] == '=') value = trim(value.substr(1));
    value = unquote(value);
    if (value.empty()) return bad("-o " + text + ": expected Key=Value");
    if (key == "user") return set_once(a_.user, value);
    if (key == "port") return port(value, "-o Port");
    if (key == "identityfile") {
      a_.identity_files.push_back(expand_home(value));
      return {};
    }
    if (key == "identitiesonly") {
      const std::string v = to_lower(value);
      if (v != "yes" && v != "no") return bad("-o IdentitiesOnly: expected yes or no, got '" + value + "'");
      if (!a_.identities_only) a_.identities_only = v == "yes";
      return {};
    }
    if (key == "userknownhostsfile") {
      const std::string first = value.substr(0, value.find_first_of(" \t"));
      return set_once(a_.known_hosts_file, expand_home(first));
    }
    if (key == "stricthostkeychecking") {
      std::string v = to_lower(value);
      if (v == "true") v = "yes";
      if (v == "false" || v == "off") v = "no";
      if (v != "yes" && v != "no" && v != "accept-new" && v != "ask") {
        return bad("-o StrictHostKeyChecking: expected yes, accept-new, no or ask, got '" + value + "'");
      }
      return set_once(a_.strict_host_key_checking, v);
    }
    if (key == "connecttimeout") {
      if (value.find_first_not_of("0123456789") != std::string::npos || value.size() > 6 || value == "0") {
        return bad("-o ConnectTimeout: expected a number of seconds, got '" + value + "'");
      }
      if (!a_.connect_timeout) a_.connect_timeout = std::stoi(value);
      return {};
    }
    if (key == "proxyjump") return set_once(a_.proxy_jump, value);
    if (key == "proxycommand") return proxy_command(value);
    // Ansible's own connection sharing: one session per host makes them moot.
    if (key == "controlmaster" || key == "controlpersist" || key == "controlpath") return {};
    a_.ignored.push_back("-o " + text);
    return {};
  }

  Result<void> port(const std::string& value, const std::string& what) {
    if (value.empty() || value.size() > 5 || value.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(value) < 1 || std::stoi(value) > 65535) {
      return bad(what + ": expected a port number from 1 to 65535, got '" + value + "'");
    }
    if (!a_.port) a_.port = std::stoi(value);
    return {};
  }

  Result<void> set_once(std::optional<std::string>& field, const std::string& value) {
    if (!field) field = value;
    return {};
  }

  Error bad(const std::string& what) const { return Error(ErrorKind::kInvalidInput, where_ + ": " + what); }

  SshArgs& a_;
  std::string where_;
  std::string destination_;
  std::vector<std::string> rest_;
  std::optional<std::string> forward_;
};

}  // namespace

Result<void> parse_proxy_command(std::string_view command, SshArgs& args, const std::string& where) {
  return ArgsReader(args, where).proxy_command(std::string(command));
}

Result<void> parse_ssh_args(std::string_view text, SshArgs& args, const std::string& where) {
  auto tokens = shlex_split(text, ShlexComments::kStrip);
  if (!tokens) return Error(ErrorKind::kInvalidInput, where + ": " + tokens.error().message());
  return ArgsReader(args, where).read(*tokens, false);
}

}  // namespace fleetk8s::inventory
