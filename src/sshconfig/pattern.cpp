#include "pattern.h"

#include <cctype>
#include <string>

namespace fleetk8s::sshconfig {

bool match_pattern(std::string_view s, std::string_view p) {
  // Iterative glob with one backtracking point for the last `*`.
  std::size_t si = 0, pi = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == s[si])) {
      ++si;
      ++pi;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

int match_pattern_list(std::string_view s, std::string_view list, bool lower) {
  std::string subject(s);
  if (lower)
    for (char& c : subject) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool positive = false;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(start, end - start);
    const bool negated = !item.empty() && item[0] == '!';
    if (negated) item.remove_prefix(1);
    std::string pattern(item);
    if (lower)
      for (char& c : pattern) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (match_pattern(subject, pattern)) {
      if (negated) return -1;
      positive = true;
    }
    start = end + 1;
  }
  return positive ? 1 : 0;
}

}  // namespace fleetk8s::sshconfig
