// Host pattern parsing and evaluation, following InventoryManager in
// ansible/inventory/manager.py: union terms first, then intersections, then
// exclusions; an exact host name wins over a group of the same name; a
// wildcard or regex matches group names and host names.
#include "fleetk8s/inventory/pattern.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <regex>
#include <set>

#include "address.h"
#include "fleetk8s/core/py_match.h"
#include "fleetk8s/core/strings.h"
#include "fleetk8s/inventory/inventory.h"

namespace fleetk8s::inventory {
namespace {

std::vector<std::string> split_parts(std::string_view pattern) {
  std::vector<std::string> parts;
  if (pattern.find(',') != std::string_view::npos) {
    size_t start = 0;
    while (true) {
      size_t comma = pattern.find(',', start);
      parts.push_back(trim(pattern.substr(start, comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  } else if (parse_address(pattern, /*allow_ranges=*/true)) {
    parts.push_back(trim(pattern));
  } else {
    static const std::regex part(R"((?:[^\s:\[\]]|\[[^\]]*\])+)");
    std::string text(pattern);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), part); it != std::sregex_iterator(); ++it) {
      parts.push_back(it->str());
    }
  }
  parts.erase(std::remove(parts.begin(), parts.end(), std::string()), parts.end());
  return parts;
}

// A subscript's number as Python's int() reads it, clamped: past any host
// count every value selects the same hosts (and none overflows here).
int subscript_int(const std::string& digits) {
  constexpr long long kLimit = 1 << 30;
  long long v = 0;
  const char* first = digits.data() + (digits[0] == '-' ? 1 : 0);
  auto [end, ec] = std::from_chars(first, digits.data() + digits.size(), v);
  if (ec == std::errc::result_out_of_range || v > kLimit) v = kLimit;
  return static_cast<int>(digits[0] == '-' ? -v : v);
}

PatternTerm make_term(const std::string& text) {
  PatternTerm term;
  term.text = text;
  std::string expr = text;
  if (expr[0] == '&' || expr[0] == '!') {
    term.op = expr[0] == '&' ? PatternTerm::Op::kIntersect : PatternTerm::Op::kExclude;
    expr.erase(0, 1);
  }
  static const std::regex subscript(R"(^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$)");
  std::smatch m;
  if (!expr.empty() && expr[0] != '~' && std::regex_match(expr, m, subscript)) {
    PatternTerm::Subscript s;
    if (m[2].matched) {
      s.start = subscript_int(m[2].str());
    } else {
      s.start = subscript_int(m[3].str());
      s.end = m[5].length() ? subscript_int(m[5].str()) : -1;
    }
    term.subscript = s;
    expr = m[1].str();
  }
  term.expr = expr;
  return term;
}

// fnmatch.translate(): * ? [seq] [!seq], everything else literal.
// One pattern element of the glob at `p` against character `c`: `?`, a
// set `[...]`/`[!...]` (a `]` right after the opening is literal; an
// unclosed `[` is a literal `[`), or a literal character. Sets `next` to
// the element after it.
bool glob_char(std::string_view glob, size_t p, char c, size_t& next) {
  if (glob[p] == '?') {
    next = p + 1;
    return true;
  }
  if (glob[p] == '[') {
    size_t j = p + 1;
    const bool negate = j < glob.size() && glob[j] == '!';
    if (negate) ++j;
    const size_t first = j;
    if (j < glob.size() && glob[j] == ']') ++j;
    while (j < glob.size() && glob[j] != ']') ++j;
    if (j < glob.size()) {
      bool in = false;
      for (size_t k = first; k < j; ++k) {
        if (k + 2 < j && glob[k + 1] == '-') {
          in = in || (c >= glob[k] && c <= glob[k + 2]);
          k += 2;
        } else {
          in = in || c == glob[k];
        }
      }
      next = j + 1;
      return in != negate;
    }
  }
  next = p + 1;
  return glob[p] == c;
}

// Python's fnmatch (`*`, `?`, `[set]`; no escapes) without a regex: the
// classic walk that goes back only to the last `*`, O(len(name) *
// len(glob)) at worst, where a backtracking regex of `*?*?*...` is
// exponential.
bool glob_match(std::string_view glob, std::string_view name) {
  size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  while (i < name.size()) {
    size_t next = 0;
    if (p < glob.size() && glob[p] == '*') {
      star = p++;
      mark = i;
    } else if (p < glob.size() && glob_char(glob, p, name[i], next)) {
      p = next;
      ++i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < glob.size() && glob[p] == '*') ++p;
  return p == glob.size();
}

// A term's matcher: Ansible runs re.compile(REGEX).match(name) for a
// `~REGEX` term and fnmatch for the others. The regex is read as Python
// reads it (its errors: "w**" is a "multiple repeat") and run by an
// automaton linear in the name (py_match.h): a backtracking engine takes
// exponential time on patterns like "(w*)*(w*)*x", and a --limit must not
// hang a run.
class Matcher {
 public:
  static Result<Matcher> compile(const std::string& expr) {
    Matcher m;
    if (expr[0] != '~') {
      m.glob_ = expr;
      return m;
    }
    auto re = pyre::PrefixMatcher::compile(expr.substr(1));
    if (!re.ok()) return Error(ErrorKind::kInvalidInput, "invalid host pattern \"" + expr + "\": " + re.error().message());
    m.re_ = std::move(*re);
    return m;
  }

  bool operator()(const std::string& name) const { return re_ ? re_->matches(name) : glob_match(glob_, name); }

 private:
  std::optional<pyre::PrefixMatcher> re_;
  std::string glob_;
};

// Python slicing of hosts[start:end+1], or hosts[start] (nothing when out
// of range).
std::vector<std::string> apply_subscript(const std::vector<std::string>& hosts,
                                         const PatternTerm& term) {
  if (hosts.empty() || !term.subscript) return hosts;
  const auto& s = *term.subscript;
  auto n = static_cast<int>(hosts.size());
  auto clamp = [n](int i) { return i < 0 ? std::max(0, i + n) : std::min(i, n); };
  if (s.end && *s.end != 0) {  // Ansible treats an end of 0 as "no end"
    int end = *s.end == -1 ? n - 1 : *s.end;
    int b = clamp(s.start), e = clamp(end + 1);
    if (b >= e) return {};
    return std::vector<std::string>(hosts.begin() + b, hosts.begin() + e);
  }
  int i = s.start < 0 ? s.start + n : s.start;
  if (i < 0 || i >= n) return {};
  return {hosts[static_cast<size_t>(i)]};
}

struct TermMatch {
  std::vector<std::string> hosts;
  std::string why_empty;  // for messages, when hosts is empty
};

// The hosts one term stands for, ignoring its &/! operator.
Result<TermMatch> match_term(const Inventory& inv, const PatternTerm& term) {
  const std::string& expr = term.expr;
  auto match = Matcher::compile(expr);
  if (!match.ok()) return match.error();
  std::vector<std::string> found;
  bool group_matched = false;
  for (const auto& group : inv.group_names()) {
    if (!(*match)(group)) continue;
    group_matched = true;
    auto hosts = inv.hosts_in(group);
    found.insert(found.end(), hosts.begin(), hosts.end());
  }
  if (!group_matched || expr.find_first_of("~.?*[") != std::string::npos) {
    for (const auto& host : inv.host_names()) {
      if ((*match)(host)) found.push_back(host);
    }
  }
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (auto& h : found) {
    if (seen.insert(h).second) unique.push_back(std::move(h));
  }
  TermMatch out{apply_subscript(unique, term), ""};
  if (!group_matched && unique.empty()) {
    out.why_empty = "matches no host or group";
  } else if (unique.empty()) {
    out.why_empty = "has no hosts";
  } else if (out.hosts.empty()) {
    out.why_empty = "selects nothing from " + std::to_string(unique.size()) + " host" +
                    (unique.size() == 1 ? "" : "s");
  }
  return out;
}

}  // namespace

Result<std::vector<PatternTerm>> parse_host_pattern(std::string_view pattern) {
  std::vector<PatternTerm> terms;
  for (const auto& part : split_parts(pattern)) {
    PatternTerm term = make_term(part);
    if (term.expr.empty() || term.expr == "~") {
      return Error(ErrorKind::kInvalidInput, "host pattern \"" + std::string(pattern) +
                                                 "\" has an empty part \"" + part + "\"");
    }
    terms.push_back(std::move(term));
  }
  if (terms.empty()) {
    return Error(ErrorKind::kInvalidInput, "empty host pattern \"" + std::string(pattern) + "\"");
  }
  return terms;
}

Result<std::vector<std::string>> Inventory::select(std::string_view pattern) const {
  auto parsed = parse_host_pattern(pattern);
  if (!parsed.ok()) return parsed.error();
  std::vector<PatternTerm> terms;
  for (auto op : {PatternTerm::Op::kUnion, PatternTerm::Op::kIntersect, PatternTerm::Op::kExclude}) {
    for (const auto& t : *parsed) {
      if (t.op == op) terms.push_back(t);
    }
  }
  if (terms.front().op != PatternTerm::Op::kUnion) terms.insert(terms.begin(), make_term("all"));

  std::vector<std::string> hosts;
  std::set<std::string> in_hosts;
  std::vector<std::string> unmatched;
  for (const auto& term : terms) {
    std::vector<std::string> that;
    if (term.op == PatternTerm::Op::kUnion && has_host(term.text)) {
      that = {term.text};
    } else {
      auto r = match_term(*this, term);
      if (!r.ok()) return r.error();
      that = std::move(r->hosts);
      if (that.empty()) unmatched.push_back("\"" + term.text + "\" " + r->why_empty);
    }
    std::set<std::string> set(that.begin(), that.end());
    switch (term.op) {
      case PatternTerm::Op::kUnion:
        for (auto& h : that) {
          if (in_hosts.insert(h).second) hosts.push_back(std::move(h));
        }
        break;
      case PatternTerm::Op::kIntersect:
        std::erase_if(hosts, [&](const std::string& h) { return !set.count(h); });
        in_hosts = std::set<std::string>(hosts.begin(), hosts.end());
        break;
      case PatternTerm::Op::kExclude:
        std::erase_if(hosts, [&](const std::string& h) { return set.count(h) > 0; });
        in_hosts = std::set<std::string>(hosts.begin(), hosts.end());
        break;
    }
  }
  if (!hosts.empty()) return hosts;
  std::string message = "no hosts matched \"" + std::string(pattern) + "\"";
  for (size_t i = 0; i < unmatched.size(); ++i) message += (i ? "; " : ": ") + unmatched[i];
  if (unmatched.empty()) message += ": the intersections and exclusions left nothing";
  return Error(ErrorKind::kInvalidInput, message);
}

namespace {

// The terms of a --limit with each @FILE part replaced by the file's lines.
Result<std::vector<PatternTerm>> limit_terms(std::string_view limit) {
  auto parsed = parse_host_pattern(limit);
  if (!parsed.ok()) return parsed.error();
  std::vector<PatternTerm> terms;
  for (auto& term : *parsed) {
    if (term.text[0] != '@') {
      terms.push_back(std::move(term));
      continue;
    }
    const std::string file = term.text.substr(1);
    std::ifstream in(file);
    if (!in) return Error(ErrorKind::kNotFound, "@" + file + ": cannot read the limit file: " + std::strerror(errno));
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      line = trim(line);
      if (line.empty()) continue;
      PatternTerm t = make_term(line);
      if (t.expr.empty() || t.expr == "~" || t.text[0] == '@')
        return Error(ErrorKind::kInvalidInput, file + ":" + std::to_string(n) + ": \"" + line +
                                                   "\" is not a host pattern");
      terms.push_back(std::move(t));
    }
  }
  if (terms.empty()) return Error(ErrorKind::kInvalidInput, "\"" + std::string(limit) + "\" names no host");
  return terms;
}

}  // namespace

Result<std::vector<std::string>> select_limit(const Inventory& inv, std::string_view limit) {
  auto terms = limit_terms(limit);
  if (!terms.ok()) return terms.error();
  std::string pattern;
  for (const auto& t : *terms) {
    pattern += (pattern.empty() ? "" : ",") + t.text;
    if (inv.has_host(t.expr) && !t.subscript) continue;
    auto m = match_term(inv, t);
    if (!m.ok()) return m.error();
    if (m->hosts.empty() && m->why_empty != "has no hosts")
      return Error(ErrorKind::kInvalidInput, "\"" + t.text + "\" " + m->why_empty +
                                                 " in the inventory");
  }
  return inv.select(pattern);
}

}  // namespace fleetk8s::inventory
