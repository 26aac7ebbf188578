#include "py_regex.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "fleetk8s/core/py_regex_syntax.h"

namespace fleetk8s::tmpl::detail {
namespace {

Error regex_error(const std::string& message) { return Error(ErrorKind::kInvalidInput, message); }

// std::regex builds one automaton state per repetition, nested repetitions
// multiply, and its counters overflow past 64 bits: the counts of a pattern
// (a{3}, x{2,5}: the larger bound) may multiply to at most this.
constexpr std::uint64_t kMaxRepetitions = 100000;

struct Translation {
  std::string pattern;
  std::vector<std::string> names;
  std::map<std::string, int> name_map;
  bool ignorecase = false, multiline = false, dotall = false;
};

// ECMAScript's spelling of one byte: itself when it is a letter, a digit or
// an ASCII punctuation character that means nothing, else \xHH.
std::string byte_text(unsigned char c) {
  static const char kHex[] = "0123456789abcdef";
  if (std::isalnum(c) || (c >= 0x20 && c < 0x7f && !std::strchr("^$\\.*+?()[]{}|/-", c))) return std::string(1, static_cast<char>(c));
  return std::string("\\x") + kHex[c >> 4] + kHex[c & 15];
}

// A bracket expression for the reader's set. Ranges stay within
// 0x00-0x7f or 0x80-0xff: std::regex compares chars, which are signed.
std::string bracket(const pyre::Token& t) {
  std::string out = t.negated ? "[^" : "[";
  for (int half : {0, 0x80}) {
    for (int c = half; c < half + 0x80;) {
      if (!t.set.test(c)) {
        ++c;
        continue;
      }
      int end = c;
      while (end + 1 < half + 0x80 && t.set.test(end + 1)) ++end;
      out += byte_text(static_cast<unsigned char>(c));
      if (end - c >= 2) out += '-';
      if (end > c) out += byte_text(static_cast<unsigned char>(end));
      c = end + 1;
    }
  }
  return out + "]";
}

std::string literal(const std::string& text) {
  std::string out;
  for (char c : text) out += byte_text(static_cast<unsigned char>(c));
  return text.size() > 1 ? "(?:" + out + ")" : out;  // a repeat takes the whole character
}

std::string repeat(const pyre::Token& t) {
  std::string out;
  if (t.min == 0 && t.max == pyre::kUnbounded) out = "*";
  else if (t.min == 1 && t.max == pyre::kUnbounded) out = "+";
  else if (t.min == 0 && t.max == 1) out = "?";
  else if (t.min == t.max) out = "{" + std::to_string(t.min) + "}";
  else if (t.max == pyre::kUnbounded) out = "{" + std::to_string(t.min) + ",}";
  else out = "{" + std::to_string(t.min) + "," + std::to_string(t.max) + "}";
  return t.lazy ? out + "?" : out;
}

Result<std::string> group_open(const pyre::Token& t) {
  switch (t.group_kind) {
    case pyre::GroupKind::kCapture: return std::string("(");
    case pyre::GroupKind::kNonCapture: return std::string("(?:");
    case pyre::GroupKind::kLookahead: return std::string("(?=");
    case pyre::GroupKind::kNegativeLookahead: return std::string("(?!");
    case pyre::GroupKind::kLookbehind:
    case pyre::GroupKind::kNegativeLookbehind: return regex_error("lookbehind assertions are not supported");
    case pyre::GroupKind::kAtomic: return regex_error("atomic groups (?>...) are not supported");
    case pyre::GroupKind::kConditional: return regex_error("conditional groups (?(...)...) are not supported");
    case pyre::GroupKind::kScopedFlags: return regex_error("inline flags are only supported at the start of the pattern");
  }
  return std::string("(");
}

// The reader's tokens in ECMAScript, with Python's meaning.
Result<Translation> translate(const std::string& py, RegexFlags flags) {
  pyre::SyntaxOptions options;
  options.bytes = false;
  auto syntax = pyre::read_python_regex(py, options);
  if (!syntax) return syntax.error();
  Translation t;
  t.ignorecase = flags.ignorecase || (syntax->flags & pyre::kIgnoreCase);
  t.multiline = flags.multiline || (syntax->flags & pyre::kMultiline);
  t.dotall = syntax->flags & pyre::kDotAll;
  std::string& out = t.pattern;
  std::uint64_t repetitions = 1;
  for (const auto& tok : syntax->tokens) {
    switch (tok.kind) {
      case pyre::TokenKind::kLiteral: out += literal(tok.text); break;
      case pyre::TokenKind::kSet: out += bracket(tok); break;
      // ECMAScript's "." and multiline "$" also stop at "\r"; Python's only at "\n".
      case pyre::TokenKind::kAny: out += t.dotall ? "[\\s\\S]" : "[^\\n]"; break;
      case pyre::TokenKind::kLineStart: out += '^'; break;
      case pyre::TokenKind::kLineEnd: out += t.multiline ? "(?![^\\n])" : "(?=\\n?$)"; break;  // Python's $ also matches before a final newline
      case pyre::TokenKind::kTextStart: out += '^'; break;
      case pyre::TokenKind::kTextEnd: out += "(?![\\s\\S])"; break;
      case pyre::TokenKind::kWordBoundary: out += "\\b"; break;
      case pyre::TokenKind::kNotWordBoundary: out += "\\B"; break;
      case pyre::TokenKind::kBackref: out += "(?:\\" + std::to_string(tok.group) + ")"; break;  // (?:) ends the number
      case pyre::TokenKind::kGroupOpen: {
        auto open = group_open(tok);
        if (!open) return open.error();
        out += *open;
        break;
      }
      case pyre::TokenKind::kGroupClose: out += ')'; break;
      case pyre::TokenKind::kAlternation: out += '|'; break;
      case pyre::TokenKind::kGlobalFlags: break;
      case pyre::TokenKind::kRepeat: {
        // Python 3.11 reads a+ after a repeat as possessive; before, it was an error.
        if (tok.possessive) {
          return regex_error(pyre::error_at(py, "multiple repeat (possessive quantifiers are not supported)", tok.end - 1, false));
        }
        const std::uint64_t bound = std::max<std::uint64_t>(tok.max != pyre::kUnbounded ? tok.max : tok.min, 1);
        if (bound > kMaxRepetitions || repetitions * bound > kMaxRepetitions) {
          return regex_error("repetition counts too large (they multiply to more than " +
                             std::to_string(kMaxRepetitions) + ")");
        }
        repetitions *= bound;
        out += repeat(tok);
        break;
      }
    }
  }
  t.names = std::move(syntax->group_names);
  t.name_map = std::move(syntax->names);
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
  compiled->names = std::move(t->name_map);
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

Result<std::string> py_sub(const PyRegex& re, const std::string& replacement, const std::string& text,
                           std::int64_t count) {
  // As Python, the template is read (and its errors reported) before any match.
  auto pieces = pyre::read_python_template(replacement, static_cast<int>(re.groups), re.names);
  if (!pieces) return pieces.error();
  std::string out;
  auto last = text.cbegin();
  std::int64_t done = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re.re); it != std::sregex_iterator(); ++it) {
    if (count > 0 && done == count) break;
    const auto& m = *it;
    out.append(last, m[0].first);
    for (const auto& piece : *pieces) out += piece.group < 0 ? piece.text : m.str(static_cast<size_t>(piece.group));
    last = m[0].second;
    ++done;
  }
  out.append(last, text.cend());
  return out;
}

}  // namespace fleetk8s::tmpl::detail
