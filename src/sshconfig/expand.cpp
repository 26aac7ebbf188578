#include "expand.h"

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace fleetk8s::sshconfig {

std::string home_directory() {
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir && *pw->pw_dir) return pw->pw_dir;
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  return "/";
}

Tokens local_tokens(const std::string& local_user) {
  Tokens t;
  t.local_user = local_user;
  t.home = home_directory();
  t.uid = std::to_string(::getuid());
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) == 0) t.local_host = name;
  t.short_host = t.local_host.substr(0, t.local_host.find('.'));
  return t;
}

std::string expand_tilde(const std::string& path) {
  if (path.empty() || path[0] != '~') return path;
  const auto slash = path.find('/');
  const std::string user = path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
  const std::string tail = slash == std::string::npos ? "" : path.substr(slash);
  if (user.empty()) return home_directory() + tail;
  if (const passwd* pw = ::getpwnam(user.c_str()); pw && pw->pw_dir) return pw->pw_dir + tail;
  return path;  // an unknown user: ssh would fail to find the file as well
}

std::string expand_tokens(const std::string& text, const Tokens& t) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 1 < text.size()) {
      switch (text[++i]) {
        case 'h': out += t.host; break;
        case 'p': out += t.port; break;
        case 'r': out += t.remote_user; break;
        case 'u': out += t.local_user; break;
        case 'n': out += t.original_host; break;
        case 'd': out += t.home; break;
        case 'i': out += t.uid; break;
        case 'l': out += t.local_host; break;
        case 'L': out += t.short_host; break;
        case 'k': out += t.alias; break;
        case 'j': out += t.jump; break;
        default: out += text[i]; break;  // %%
      }
    } else if (c == '$' && i + 1 < text.size() && text[i + 1] == '{' && text.find('}', i) != std::string::npos) {
      const auto close = text.find('}', i);
      const char* value = std::getenv(text.substr(i + 2, close - i - 2).c_str());
      out += value ? value : "";
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace fleetk8s::sshconfig
