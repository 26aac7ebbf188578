#include "py_regex.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <string_view>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace fleetk8s::tmpl::detail {
namespace {

Error regex_error(const std::string& message) { return Error(ErrorKind::kInvalidInput, message); }

// Length of a valid quantifier "{n}", "{n,}", "{n,m}", "{,m}" at s[i], or 0.
size_t quantifier_length(const std::string& s, size_t i) {
  size_t j = i + 1;
  size_t digits_before = 0, digits_after = 0;
  while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j, ++digits_before;
  bool comma = j < s.size() && s[j] == ',';
  if (comma) {
    ++j;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j, ++digits_after;
  }
  if (j >= s.size() || s[j] != '}') return 0;
  if (digits_before == 0 && (!comma || digits_after == 0)) return 0;
  return j - i + 1;
}

// std::regex builds one automaton state per repetition, nested repetitions
// multiply, and its counters overflow past 64 bits: the counts of a pattern
// (a{3}, x{2,5}: the larger bound) may multiply to at most this.
constexpr std::uint64_t kMaxRepetitions = 100000;

// The larger bound of the valid quantifier q ("{2}", "{1,5}", "{3,}").
std::uint64_t quantifier_bound(std::string_view q) {
  size_t comma = q.find(',');
  std::string_view digits = q.substr(1, q.size() - 2);
  if (comma != std::string_view::npos && comma + 1 < q.size() - 1) digits = q.substr(comma + 1, q.size() - comma - 2);
  else if (comma != std::string_view::npos) digits = q.substr(1, comma - 1);
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  return ec == std::errc() ? n : kMaxRepetitions + 1;
}

struct Translation {
  std::string pattern;
  std::vector<std::string> names;
  bool ignorecase = false, multiline = false, dotall = false, verbose = false;
};

Result<Translation> translate(const std::string& py, RegexFlags flags) {
  Translation t;
  t.ignorecase = flags.ignorecase;
  t.multiline = flags.multiline;
  size_t i = 0;
  // Leading global flags: (?imsx)
  while (py.compare(i, 2, "(?") == 0) {
    size_t j = i + 2;
    while (j < py.size() && std::strchr("aiLmsux", py[j]) && py[j] != '\0') ++j;
    if (j == i + 2 || j >= py.size() || py[j] != ')') break;
    for (size_t k = i + 2; k < j; ++k) {
      if (py[k] == 'i') t.ignorecase = true;
      if (py[k] == 'm') t.multiline = true;
      if (py[k] == 's') t.dotall = true;
      if (py[k] == 'x') t.verbose = true;
    }
    i = j + 1;
  }
  std::string& out = t.pattern;
  bool in_class = false;
  std::uint64_t repetitions = 1;
  // What the previous token was, to refuse Python's "multiple repeat"
  // (a**, a{2}+): std::regex takes some of them, and its time explodes.
  enum class Prev { kOther, kQuantifier, kLazy } prev = Prev::kOther;
  for (; i < py.size(); ++i) {
    char c = py[i];
    bool quantifier = !in_class && (c == '*' || c == '+' || c == '?' || (c == '{' && quantifier_length(py, i) > 0));
    if (quantifier) {
      if (c == '?' && prev == Prev::kQuantifier) {
        prev = Prev::kLazy;
      } else if (prev != Prev::kOther) {
        return regex_error("multiple repeat at position " + std::to_string(i));
      } else {
        prev = Prev::kQuantifier;
      }
    } else {
      prev = Prev::kOther;
    }
    if (c == '\\') {
      if (i + 1 >= py.size()) return regex_error("bad escape (end of pattern)");
      char e = py[++i];
      if (e >= '1' && e <= '9' && !in_class) {
        // A group reference, one or two digits as in Python (ECMAScript
        // would read every digit). Three octal digits are a character.
        size_t len = 1;
        while (len < 3 && i + len < py.size() && std::isdigit(static_cast<unsigned char>(py[i + len]))) ++len;
        if (len == 3 && py.find_first_not_of("01234567", i) >= i + 3) {
          int code = (py[i] - '0') * 64 + (py[i + 1] - '0') * 8 + (py[i + 2] - '0');
          if (code > 0377) return regex_error("octal escape value \\" + py.substr(i, 3) + " outside of range 0-0o377");
          static const char kHex[] = "0123456789abcdef";
          out += "\\x";
          out += kHex[code >> 4];
          out += kHex[code & 15];
          i += 2;
          continue;
        }
        len = std::min<size_t>(len, 2);
        size_t group = static_cast<size_t>(py[i] - '0');
        if (len == 2) group = group * 10 + static_cast<size_t>(py[i + 1] - '0');
        if (group > t.names.size()) return regex_error("invalid group reference " + std::to_string(group));
        out += "\\" + std::to_string(group) + "(?:)";  // (?:) ends the number
        i += len - 1;
        continue;
      }
      if (e == 'A') out += '^';
      else if (e == 'Z') out += '$';
      else if (e == 'U') return regex_error("\\U escapes are not supported in regular expressions");
      else {
        out += '\\';
        out += e;
      }
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      if (c == '[') out += '\\';
      out += c;
      continue;
    }
    if (t.verbose && (std::isspace(static_cast<unsigned char>(c)) || c == '#')) {
      if (c == '#') {
        while (i < py.size() && py[i] != '\n') ++i;
      }
      continue;
    }
    switch (c) {
      case '[': {
        in_class = true;
        out += '[';
        if (i + 1 < py.size() && py[i + 1] == '^') out += py[++i];
        if (i + 1 < py.size() && py[i + 1] == ']') {  // "[]a]": a leading ']' is literal
          out += "\\]";
          ++i;
        }
        break;
      }
      case '.':
        out += t.dotall ? "[\\s\\S]" : ".";
        break;
      case '$':
        out += t.multiline ? "$" : "(?=\\n?$)";  // Python's $ also matches before a final newline
        break;
      case '{': {
        size_t n = quantifier_length(py, i);
        if (n == 0) {
          out += "\\{";
        } else {
          std::string q = py.substr(i, n);
          repetitions *= std::max<std::uint64_t>(quantifier_bound(q), 1);
          if (repetitions > kMaxRepetitions) {
            return regex_error("repetition counts too large (they multiply to more than " +
                               std::to_string(kMaxRepetitions) + ")");
          }
          if (q[1] == ',') q.insert(1, "0");
          out += q;
          i += n - 1;
        }
        break;
      }
      case '}':
        out += "\\}";
        break;
      case '(': {
        if (py.compare(i, 4, "(?P<") == 0) {
          size_t close = py.find('>', i);
          if (close == std::string::npos) return regex_error("missing '>' in group name");
          t.names.push_back(py.substr(i + 4, close - i - 4));
          out += '(';
          i = close;
        } else if (py.compare(i, 4, "(?P=") == 0) {
          size_t close = py.find(')', i);
          if (close == std::string::npos) return regex_error("missing ')' in group reference");
          std::string name = py.substr(i + 4, close - i - 4);
          size_t k = 0;
          while (k < t.names.size() && t.names[k] != name) ++k;
          if (k == t.names.size()) return regex_error("unknown group name '" + name + "'");
          out += "(?:\\" + std::to_string(k + 1) + ")";
          i = close;
        } else if (py.compare(i, 3, "(?#") == 0) {
          size_t close = py.find(')', i);
          if (close == std::string::npos) return regex_error("missing ')' after comment");
          i = close;
        } else if (py.compare(i, 4, "(?<=") == 0 || py.compare(i, 4, "(?<!") == 0) {
          return regex_error("lookbehind assertions are not supported");
        } else if (py.compare(i, 2, "(?") == 0 && i + 2 < py.size() && py[i + 2] != ':' && py[i + 2] != '=' &&
                   py[i + 2] != '!') {
          return regex_error("inline flags are only supported at the start of the pattern");
        } else {
          if (py.compare(i, 2, "(?") != 0) t.names.emplace_back();
          out += '(';
        }
        break;
      }
      default:
        out += c;
    }
  }
  return t;
}

struct Cache {
  std::mutex mu;
  std::unordered_map<std::string, std::shared_ptr<const PyRegex>> entries;
};

Cache& cache() {
  static Cache instance;
  return instance;
}

}  // namespace

Result<std::shared_ptr<const PyRegex>> compile_py_regex(const std::string& pattern, RegexFlags flags) {
  std::string key = std::string(1, static_cast<char>('0' + flags.ignorecase + 2 * flags.multiline)) + pattern;
  Cache& c = cache();
  {
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.entries.find(key);
    if (it != c.entries.end()) return it->second;
  }
  auto t = translate(pattern, flags);
  if (!t) return t.error();
  auto compiled = std::make_shared<PyRegex>();
  auto options = std::regex::ECMAScript;
  if (t->ignorecase) options |= std::regex::icase;
  if (t->multiline) options |= std::regex::multiline;
  try {
    compiled->re = std::regex(t->pattern, options);
  } catch (const std::regex_error& e) {
    return regex_error("invalid regular expression '" + pattern + "': " + e.what());
  }
  compiled->groups = compiled->re.mark_count();
  compiled->group_names = std::move(t->names);
  compiled->group_names.resize(compiled->groups);
  std::lock_guard<std::mutex> lock(c.mu);
  if (c.entries.size() >= 512) c.entries.clear();  // bounded; patterns are few in practice
  c.entries.emplace(key, compiled);
  return std::shared_ptr<const PyRegex>(compiled);
}

std::optional<std::smatch> py_search(const PyRegex& re, const std::string& text, bool anchored) {
  std::smatch m;
  auto flags = anchored ? std::regex_constants::match_continuous : std::regex_constants::match_default;
  if (std::regex_search(text, m, re.re, flags)) return m;
  return std::nullopt;
}

std::optional<size_t> group_number(const PyRegex& re, const std::string& ref) {
  if (!ref.empty() && ref.find_first_not_of("0123456789") == std::string::npos) {
    size_t n = 0;
    auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), n);
    if (ec == std::errc() && n <= re.groups) return n;
    return std::nullopt;  // also when more digits than fit (std::stoul would throw)
  }
  for (size_t i = 0; i < re.group_names.size(); ++i) {
    if (re.group_names[i] == ref) return i + 1;
  }
  return std::nullopt;
}

Value::Array py_findall(const PyRegex& re, const std::string& text) {
  Value::Array out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re.re); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    if (re.groups == 0) {
      out.emplace_back(m.str(0));
    } else if (re.groups == 1) {
      out.emplace_back(m.str(1));
    } else {
      Value::Array groups;
      for (size_t g = 1; g <= re.groups; ++g) groups.emplace_back(m.str(g));
      out.emplace_back(std::move(groups));
    }
  }
  return out;
}

namespace {

// Expands a re.sub replacement template for one match.
Result<std::string> expand(const PyRegex& re, const std::string& repl, const std::smatch& m) {
  std::string out;
  for (size_t i = 0; i < repl.size(); ++i) {
    char c = repl[i];
    if (c != '\\' || i + 1 == repl.size()) {
      out += c;
      continue;
    }
    char e = repl[++i];
    if (std::isdigit(static_cast<unsigned char>(e))) {
      std::string ref(1, e);
      if (i + 1 < repl.size() && std::isdigit(static_cast<unsigned char>(repl[i + 1]))) ref += repl[++i];
      auto n = group_number(re, ref);
      if (!n) return regex_error("invalid group reference " + ref);
      out += m.str(*n);
    } else if (e == 'g') {
      size_t close = repl.find('>', i);
      if (i + 1 >= repl.size() || repl[i + 1] != '<' || close == std::string::npos) {
        return regex_error("missing group name in \\g<...>");
      }
      std::string ref = repl.substr(i + 2, close - i - 2);
      auto n = group_number(re, ref);
      if (!n) return regex_error("unknown group name '" + ref + "'");
      out += m.str(*n);
      i = close;
    } else {
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case '\\': out += '\\'; break;
        default:
          if (std::isalpha(static_cast<unsigned char>(e))) return regex_error(std::string("bad escape \\") + e);
          out += '\\';
          out += e;
      }
    }
  }
  return out;
}

}  // namespace

Result<std::string> py_sub(const PyRegex& re, const std::string& replacement, const std::string& text,
                           std::int64_t count) {
  std::string out;
  auto last = text.cbegin();
  std::int64_t done = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re.re); it != std::sregex_iterator(); ++it) {
    if (count > 0 && done == count) break;
    const auto& m = *it;
    out.append(last, m[0].first);
    auto piece = expand(re, replacement, m);
    if (!piece) return piece.error();
    out += *piece;
    last = m[0].second;
    ++done;
  }
  out.append(last, text.cend());
  return out;
}

}  // namespace fleetk8s::tmpl::detail
