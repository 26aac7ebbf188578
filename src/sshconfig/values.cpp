#include "values.h"
#include "fleetk8s/core/strings.h"

#include <cctype>
#include <climits>
#include <cstdlib>
#include <netdb.h>
#include <netinet/in.h>

namespace fleetk8s::sshconfig {
namespace {

Error invalid(std::string message) { return Error(ErrorKind::kInvalidInput, std::move(message)); }

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// parse_user_host_port(): [user@]host[:port], host may be [v6].
bool valid_user_host_port(std::string_view s) {
  if (auto at = s.rfind('@'); at != std::string_view::npos) {
    if (at == 0) return false;
    s = s.substr(at + 1);
  }
  if (s.empty()) return false;
  std::string_view port;
  if (s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    std::string_view after = s.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      port = after.substr(1);
      if (port.empty()) return false;
    }
  } else if (auto colon = s.find(':'); colon != std::string_view::npos) {
    if (s.find(':', colon + 1) != std::string_view::npos || colon == 0) return false;
    port = s.substr(colon + 1);
    if (port.empty()) return false;
  }
  return port.empty() || parse_port(std::string(port)).ok();
}

bool valid_jump(std::string_view s) {
  if (s.rfind("ssh://", 0) == 0) {
    s.remove_prefix(6);
    if (s.find('/') != std::string_view::npos) return false;
  }
  return valid_user_host_port(s);
}

}  // namespace

Result<int> parse_port(const std::string& text) {
  if (all_digits(text) && text.size() <= 5) {
    const int n = std::atoi(text.c_str());
    if (n >= 1 && n <= 65535) return n;
  } else if (!text.empty() && !all_digits(text)) {
    if (const servent* se = ::getservbyname(text.c_str(), "tcp")) return static_cast<int>(ntohs(se->s_port));
  }
  return invalid("Bad port '" + text + "'");
}

Result<bool> parse_flag(const std::string& text) {
  const std::string v = to_lower(text);
  if (v == "yes" || v == "true") return true;
  if (v == "no" || v == "false") return false;
  return invalid("unsupported option \"" + text + "\" (expected yes or no)");
}

Result<std::optional<long>> parse_time(const std::string& text) {
  if (text == "none") return std::optional<long>();
  long total = 0;
  std::size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    std::size_t j = i;
    long n = 0;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
      if (n > (LONG_MAX - 9) / 10) return invalid("invalid time value \"" + text + "\"");
      n = n * 10 + (text[j++] - '0');
    }
    if (j == i) return invalid("invalid time value \"" + text + "\"");
    long unit = 1;
    if (j < text.size()) {
      switch (std::tolower(static_cast<unsigned char>(text[j]))) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = 604800; break;
        default: return invalid("invalid time value \"" + text + "\"");
      }
      ++j;
    }
    if (n > (INT_MAX - total) / unit) return invalid("invalid time value \"" + text + "\"");
    total += n * unit;
    any = true;
    i = j;
  }
  if (!any) return invalid("invalid time value \"" + text + "\"");
  return std::optional<long>(total);
}

Result<std::string> parse_strict_host_key_checking(const std::string& text) {
  const std::string v = to_lower(text);
  if (v == "yes" || v == "true") return std::string("yes");
  if (v == "no" || v == "off" || v == "false") return std::string("no");
  if (v == "ask" || v == "accept-new") return v;
  return invalid("unsupported option \"" + text + "\" (expected yes, no, accept-new or ask)");
}

Result<std::string> parse_proxy_jump(std::string_view rest) {
  std::string value(rest.substr(0, rest.find('#')));
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  const std::string bad = "Invalid ProxyJump \"" + value + "\"";
  if (to_lower(value) == "none") return std::string("none");
  if (value.empty()) return invalid(bad);
  std::size_t start = 0;
  while (true) {
    std::size_t end = value.find(',', start);
    if (!valid_jump(std::string_view(value).substr(start, end == std::string::npos ? std::string::npos : end - start)))
      return invalid(bad);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return value;
}

Result<void> check_tokens(const std::string& text, std::string_view allowed) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 1 == text.size()) return invalid("'%' at the end of \"" + text + "\" (write %% for a percent sign)");
      const char t = text[++i];
      if (t != '%' && allowed.find(t) == std::string_view::npos) {
        std::string hint = " (known here:";
        for (char a : allowed) hint += std::string(" %") + a;
        return invalid("unknown or unsupported token %" + std::string(1, t) + " in \"" + text + "\"" + hint + " %%)");
      }
    } else if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const auto close = text.find('}', i);
      if (close == std::string::npos) return invalid("unterminated ${ in \"" + text + "\"");
      const std::string name = text.substr(i + 2, close - i - 2);
      if (!std::getenv(name.c_str()))
        return invalid("environment variable ${" + name + "} is not set (used in \"" + text + "\")");
      i = close;
    }
  }
  return {};
}

}  // namespace fleetk8s::sshconfig
