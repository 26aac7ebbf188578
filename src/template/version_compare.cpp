#include "version_compare.h"

#include <cctype>
#include <cstdint>
#include <regex>
#include <variant>
#include <vector>

namespace fleetk8s::tmpl::detail {
namespace {

using Component = std::variant<std::int64_t, std::string>;

Error invalid(const std::string& message) { return Error(ErrorKind::kInvalidInput, message); }

std::int64_t to_number(const std::string& digits) {
  std::int64_t n = 0;
  for (char c : digits) n = n > 922337203685477580 ? n : n * 10 + (c - '0');
  return n;
}

// LooseVersion: runs of digits (numbers), of lower-case letters, and of
// anything else (strings); dots separate and vanish.
std::vector<Component> loose_components(const std::string& v) {
  std::vector<Component> out;
  size_t i = 0;
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < v.size()) {
    size_t j = i;
    if (is_digit(v[i])) {
      while (j < v.size() && is_digit(v[j])) ++j;
      out.emplace_back(to_number(v.substr(i, j - i)));
    } else if (is_lower(v[i])) {
      while (j < v.size() && is_lower(v[j])) ++j;
      out.emplace_back(v.substr(i, j - i));
    } else if (v[i] == '.') {
      j = i + 1;
    } else {
      while (j < v.size() && !is_digit(v[j]) && !is_lower(v[j]) && v[j] != '.') ++j;
      out.emplace_back(v.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

// Python list comparison: the first differing components decide, and a
// number against a string is a TypeError.
Result<int> compare_components(const std::vector<Component>& a, const std::vector<Component>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] == b[i]) continue;
    if (a[i].index() != b[i].index()) {
      return invalid(std::string("'<' not supported between instances of '") + (a[i].index() == 0 ? "int" : "str") +
                     "' and '" + (b[i].index() == 0 ? "int" : "str") + "'");
    }
    return a[i] < b[i] ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

struct Strict {
  std::vector<std::int64_t> release;
  bool has_pre = false;
  char pre_letter = 0;
  std::int64_t pre_number = 0;
};

Result<Strict> parse_strict(const std::string& v) {
  static const std::regex re(R"(^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$)");
  std::smatch m;
  if (!std::regex_match(v, m, re)) return invalid("invalid version number '" + v + "'");
  Strict s;
  s.release = {to_number(m.str(1)), to_number(m.str(2)), m[4].matched ? to_number(m.str(4)) : 0};
  if (m[5].matched) {
    s.has_pre = true;
    s.pre_letter = m.str(5)[0];
    s.pre_number = to_number(m.str(6));
  }
  return s;
}

int compare_strict(const Strict& a, const Strict& b) {
  if (a.release != b.release) return a.release < b.release ? -1 : 1;
  if (a.has_pre != b.has_pre) return a.has_pre ? -1 : 1;  // 1.0a1 < 1.0
  if (!a.has_pre) return 0;
  if (a.pre_letter != b.pre_letter) return a.pre_letter < b.pre_letter ? -1 : 1;
  return a.pre_number < b.pre_number ? -1 : a.pre_number > b.pre_number ? 1 : 0;
}

struct Semver {
  std::int64_t core[3] = {0, 0, 0};
  std::vector<std::string> pre;
};

Result<Semver> parse_semver(const std::string& v) {
  static const std::regex re(
      R"(^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))"
      R"((?:-((?:\d*[a-zA-Z-][0-9a-zA-Z-]*|[1-9]\d*|0)(?:\.(?:\d*[a-zA-Z-][0-9a-zA-Z-]*|[1-9]\d*|0))*))?)"
      R"((?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$)");
  std::smatch m;
  if (!std::regex_match(v, m, re)) return invalid("invalid semantic version '" + v + "'");
  Semver s;
  for (int i = 0; i < 3; ++i) s.core[i] = to_number(m.str(i + 1));
  if (m[4].matched) {
    std::string pre = m.str(4);
    size_t start = 0;
    for (;;) {
      size_t dot = pre.find('.', start);
      s.pre.push_back(pre.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
  }
  return s;
}

int compare_semver(const Semver& a, const Semver& b) {
  for (int i = 0; i < 3; ++i) {
    if (a.core[i] != b.core[i]) return a.core[i] < b.core[i] ? -1 : 1;
  }
  if (a.pre.empty() != b.pre.empty()) return a.pre.empty() ? 1 : -1;  // 1.0.0-rc1 < 1.0.0
  auto numeric = [](const std::string& s) { return s.find_first_not_of("0123456789") == std::string::npos; };
  for (size_t i = 0; i < a.pre.size() && i < b.pre.size(); ++i) {
    const auto &x = a.pre[i], &y = b.pre[i];
    if (x == y) continue;
    bool nx = numeric(x), ny = numeric(y);
    if (nx && ny) return to_number(x) < to_number(y) ? -1 : 1;
    if (nx != ny) return nx ? -1 : 1;  // numeric identifiers sort first
    return x < y ? -1 : 1;
  }
  return a.pre.size() < b.pre.size() ? -1 : a.pre.size() > b.pre.size() ? 1 : 0;
}

}  // namespace

Result<int> compare_versions(const std::string& a, const std::string& b, VersionScheme scheme) {
  switch (scheme) {
    case VersionScheme::kLoose:
      return compare_components(loose_components(a), loose_components(b));
    case VersionScheme::kStrict: {
      auto x = parse_strict(a);
      if (!x) return x.error();
      auto y = parse_strict(b);
      if (!y) return y.error();
      return compare_strict(*x, *y);
    }
    case VersionScheme::kSemver: {
      auto x = parse_semver(a);
      if (!x) return x.error();
      auto y = parse_semver(b);
      if (!y) return y.error();
      return compare_semver(*x, *y);
    }
  }
  return 0;
}

}  // namespace fleetk8s::tmpl::detail
