// A hand-written equivalent of Jinja2's expression lexer (jinja2/lexer.py).
#include "lexer.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <limits>

#include "utf8.h"

namespace fleetk8s::tmpl::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Python's "unicode-escape" decoding of a string literal's body.
std::string unescape(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\' || i + 1 == body.size()) {
      out += c;
      continue;
    }
    char e = body[++i];
    switch (e) {
      case '\n': break;  // line continuation
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x':
      case 'u':
      case 'U': {
        size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        std::uint32_t cp = 0;
        size_t k = 0;
        for (; k < digits && i + 1 + k < body.size(); ++k) {
          int h = hex_value(body[i + 1 + k]);
          if (h < 0) break;
          cp = cp * 16 + static_cast<std::uint32_t>(h);
        }
        if (k != digits || cp > 0x10FFFF) {  // Python rejects these; keep them as written
          out += '\\';
          out += e;
          break;
        }
        append_utf8(out, cp);
        i += digits;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          std::uint32_t cp = 0;
          size_t k = 0;
          for (; k < 3 && i + k < body.size() && body[i + k] >= '0' && body[i + k] <= '7'; ++k) {
            cp = cp * 8 + static_cast<std::uint32_t>(body[i + k] - '0');
          }
          append_utf8(out, cp);
          i += k - 1;
        } else {
          out += '\\';  // unknown escapes stay as written: "\d" is backslash-d
          out += e;
        }
    }
  }
  return out;
}

// Longest operators first.
constexpr std::string_view kOperators[] = {
    "//", "**", "==", "!=", "<=", ">=", "+", "-", "/", "*", "%", "~", "[", "]",
    "(", ")", "{", "}", "<", ">", "=", ".", ":", "|", ",", ";",
};

class Lexer {
 public:
  Lexer(std::string_view text, size_t start, Terminator terminator, const Source& source, bool raw_strings)
      : s_(text), pos_(start), terminator_(terminator), source_(source), raw_strings_(raw_strings) {}

  Result<Lexed> run() {
    Lexed out;
    for (;;) {
      while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
      // Inside a dict literal "}}" closes braces; otherwise it ends the tag
      // even with brackets open, and the parser reports what is missing.
      bool in_dict = !open_.empty() && open_.back() == '}' && terminator_ == Terminator::kVariable;
      if (!in_dict && at_terminator(out)) break;
      if (pos_ >= s_.size()) {
        if (terminator_ != Terminator::kEndOfText) {
          return source_.error(pos_, terminator_ == Terminator::kVariable ? "unexpected end of template, expected '}}'"
                                                                          : "unexpected end of template, expected '%}'");
        }
        out.end = pos_;
        break;
      }
      auto token = next();
      if (!token.ok()) return token.error();
      out.tokens.push_back(std::move(*token));
    }
    Token end;
    end.kind = Token::Kind::kEnd;
    end.pos = end_pos_ == kNoPos ? pos_ : end_pos_;
    out.tokens.push_back(std::move(end));
    return out;
  }

 private:
  // Recognizes the closing "}}" / "%}" (with a '-' or '+' modifier).
  bool at_terminator(Lexed& out) {
    if (terminator_ == Terminator::kEndOfText) return false;
    std::string_view close = terminator_ == Terminator::kVariable ? "}}" : "%}";
    std::string_view rest = s_.substr(pos_);
    size_t skip = 0;
    bool strip = false, keep = false;
    if (!rest.empty() && rest[0] == '-' && rest.substr(1, 2) == close) {
      strip = true;
      skip = 1;
    } else if (terminator_ == Terminator::kBlock && !rest.empty() && rest[0] == '+' &&
               rest.substr(1, 2) == close) {
      keep = true;
      skip = 1;
    } else if (rest.substr(0, 2) != close) {
      return false;
    }
    end_pos_ = pos_;
    out.end = pos_ + skip + 2;
    out.strip_after = strip;
    out.keep_after = keep;
    pos_ = out.end;
    return true;
  }

  Result<Token> next() {
    Token t;
    t.pos = pos_;
    char c = s_[pos_];
    if (is_digit(c)) return number();
    if (is_name_start(c)) {
      size_t end = pos_;
      while (end < s_.size() && is_name_char(s_[end])) ++end;
      t.kind = Token::Kind::kName;
      t.text = s_.substr(pos_, end - pos_);
      pos_ = end;
      return t;
    }
    if (c == '\'' || c == '"') return string_literal();
    for (auto op : kOperators) {
      if (s_.substr(pos_, op.size()) == op) {
        t.kind = Token::Kind::kOperator;
        t.text = s_.substr(pos_, op.size());
        // Brackets must balance, as Jinja's lexer checks.
        if (op == "(" || op == "[" || op == "{") {
          open_.push_back(op == "(" ? ')' : op == "[" ? ']' : '}');
        } else if (op == ")" || op == "]" || op == "}") {
          if (open_.empty()) return source_.error(pos_, "unexpected '" + std::string(op) + "'");
          if (open_.back() != op[0]) {
            return source_.error(pos_, "unexpected '" + std::string(op) + "', expected '" + open_.back() + "'");
          }
          open_.pop_back();
        }
        pos_ += op.size();
        return t;
      }
    }
    size_t end = pos_;
    next_code_point(s_, end);
    return source_.error(pos_, "unexpected character '" + std::string(s_.substr(pos_, end - pos_)) + "'");
  }

  Result<Token> string_literal() {
    char quote = s_[pos_];
    size_t i = pos_ + 1;
    while (i < s_.size() && s_[i] != quote) i += s_[i] == '\\' ? 2 : 1;
    if (i >= s_.size()) return source_.error(pos_, "unterminated string literal");
    Token t;
    t.kind = Token::Kind::kString;
    t.pos = pos_;
    t.text = s_.substr(pos_, i + 1 - pos_);
    std::string_view body = s_.substr(pos_ + 1, i - pos_ - 1);
    t.string = raw_strings_ ? std::string(body) : unescape(body);
    pos_ = i + 1;
    return t;
  }

  // Digits with single underscores between them, from `i`; returns the end.
  size_t digits(size_t i, int base) const {
    auto ok = [&](char c) { return base == 16 ? hex_value(c) >= 0 : is_digit(c) && c - '0' < base; };
    while (i < s_.size()) {
      if (ok(s_[i])) {
        ++i;
      } else if (s_[i] == '_' && i + 1 < s_.size() && ok(s_[i + 1]) && i > 0 && ok(s_[i - 1])) {
        ++i;
      } else {
        break;
      }
    }
    return i;
  }

  Result<Token> number() {
    Token t;
    t.pos = pos_;
    size_t i = digits(pos_, 10);
    bool after_dot = pos_ > 0 && s_[pos_ - 1] == '.';  // "x.0.1" is two subscripts
    bool is_float = false;
    if (!after_dot) {
      if (i + 1 < s_.size() && s_[i] == '.' && is_digit(s_[i + 1])) {
        i = digits(i + 1, 10);
        is_float = true;
      }
      if (i < s_.size() && (s_[i] == 'e' || s_[i] == 'E')) {
        size_t j = i + 1;
        if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
        if (j < s_.size() && is_digit(s_[j])) {
          i = digits(j, 10);
          is_float = true;
        }
      }
    }
    if (is_float) {
      std::string clean;
      for (size_t k = pos_; k < i; ++k) {
        if (s_[k] != '_') clean += s_[k];
      }
      t.kind = Token::Kind::kFloat;
      t.number = std::strtod(clean.c_str(), nullptr);
      t.text = s_.substr(pos_, i - pos_);
      pos_ = i;
      return t;
    }
    return integer();
  }

  Result<Token> integer() {
    Token t;
    t.kind = Token::Kind::kInteger;
    t.pos = pos_;
    int base = 10;
    size_t begin = pos_, end;
    if (s_[pos_] == '0' && pos_ + 1 < s_.size()) {
      char p = static_cast<char>(std::tolower(static_cast<unsigned char>(s_[pos_ + 1])));
      base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
    }
    if (base != 10) {
      begin = pos_ + 2;
      if (begin < s_.size() && s_[begin] == '_') ++begin;
      end = digits(begin, base);
      if (end == begin) return source_.error(pos_, "invalid integer literal");
    } else if (s_[pos_] == '0') {
      end = pos_ + 1;  // "0", "0_0": a leading zero starts no longer number
      while (end < s_.size()) {
        if (s_[end] == '0') {
          ++end;
        } else if (s_[end] == '_' && end + 1 < s_.size() && s_[end + 1] == '0') {
          end += 2;
        } else {
          break;
        }
      }
    } else {
      end = digits(pos_, 10);
    }
    std::uint64_t value = 0;
    for (size_t k = begin; k < end; ++k) {
      if (s_[k] == '_') continue;
      auto d = static_cast<std::uint64_t>(hex_value(s_[k]));
      if (value > (std::numeric_limits<std::uint64_t>::max() - d) / static_cast<std::uint64_t>(base)) {
        value = std::numeric_limits<std::uint64_t>::max();
        break;
      }
      value = value * static_cast<std::uint64_t>(base) + d;
    }
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return source_.error(pos_, "integer literal too large: " + std::string(s_.substr(pos_, end - pos_)));
    }
    t.integer = static_cast<std::int64_t>(value);
    t.text = s_.substr(pos_, end - pos_);
    pos_ = end;
    return t;
  }

  std::string_view s_;
  size_t pos_;
  Terminator terminator_;
  const Source& source_;
  bool raw_strings_;
  std::string open_;  // closing brackets expected, innermost last
  size_t end_pos_ = kNoPos;
};

}  // namespace

Result<Lexed> lex(std::string_view text, size_t start, Terminator terminator, const Source& source,
                  bool raw_strings) {
  return Lexer(text, start, terminator, source, raw_strings).run();
}

std::string describe(const Token& token, Terminator terminator) {
  switch (token.kind) {
    case Token::Kind::kEnd:
      return terminator == Terminator::kBlock ? "'end of statement'" : "'end of expression'";
    case Token::Kind::kString:
      return "string " + std::string(token.text);
    default:
      return "'" + std::string(token.text) + "'";
  }
}

}  // namespace fleetk8s::tmpl::detail
