// A small recursive-descent reader for Python literal expressions.
#include "python_literal.h"

#include "fleetk8s/core/text.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>

namespace fleetk8s::inventory {
namespace {

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The text Python's json module gives a non-string dict key.
std::string key_text(const Value& key) {
  if (key.is_string()) return key.as_string();
  if (key.is_bool()) return key.as_bool() ? "true" : "false";
  if (key.is_double()) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, key.as_double());
    std::string out(buf, ec == std::errc() ? end : buf);
    if (out.find_first_of(".en") == std::string::npos) out += ".0";
    return out;
  }
  return key.to_json();
}

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  std::optional<Value> top() {
    auto v = tuple_or_expr(/*top=*/true);
    if (!v) return std::nullopt;
    skip_space();
    if (pos_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void skip_space() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\f' || (depth_ > 0 && (c == '\n' || c == '\r'))) {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else {
        return;
      }
    }
  }
  bool peek(char c) {
    skip_space();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  bool at_end() {
    skip_space();
    return pos_ == s_.size();
  }

  // expr {',' expr} [','] — a bare tuple at the top level or inside ().
  std::optional<Value> tuple_or_expr(bool top) {
    if (!top && peek(')')) return Value(Value::Array{});
    auto first = expr();
    if (!first) return std::nullopt;
    if (!peek(',')) return first;
    Value::Array items{std::move(*first)};
    while (eat(',')) {
      if (top ? at_end() : peek(')')) break;
      auto next = expr();
      if (!next) return std::nullopt;
      items.push_back(std::move(*next));
    }
    return Value(std::move(items));
  }

  // Only numbers may carry a sign, and only one (literal_eval's rule).
  std::optional<Value> expr() {
    skip_space();
    if (pos_ < s_.size() && (s_[pos_] == '-' || s_[pos_] == '+')) {
      bool negative = s_[pos_++] == '-';
      skip_space();
      return number(negative);
    }
    return atom();
  }

  std::optional<Value> atom() {
    skip_space();
    if (pos_ >= s_.size()) return std::nullopt;
    char c = s_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && pos_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])))) {
      return number();
    }
    if (c == '[') return list();
    if (c == '(') return parenthesized();
    if (c == '{') return dict();
    if (is_ident_char(c) || c == '"' || c == '\'') return name_or_string();
    return std::nullopt;
  }

  std::optional<Value> number(bool negative = false) {
    skip_space();
    size_t start = pos_;
    while (pos_ < s_.size() && (is_ident_char(s_[pos_]) || s_[pos_] == '.' ||
                                ((s_[pos_] == '+' || s_[pos_] == '-') && pos_ > start &&
                                 (s_[pos_ - 1] == 'e' || s_[pos_ - 1] == 'E') && !is_prefixed(start)))) {
      ++pos_;
    }
    return parse_number(s_.substr(start, pos_ - start), negative);
  }

  // 0x, 0o, 0b (any case).
  static bool has_base_prefix(std::string_view t) {
    return t.size() > 1 && t[0] == '0' && std::strchr("xXoObB", t[1]) != nullptr && t[1] != '\0';
  }
  bool is_prefixed(size_t start) const { return has_base_prefix(s_.substr(start, 2)); }

  // Python's number token rules: digits separated by single underscores,
  // no leading zeros in decimal ints.
  static bool digits_ok(std::string_view d, bool (*is_digit)(char)) {
    if (d.empty() || d.front() == '_' || d.back() == '_') return false;
    for (size_t i = 0; i < d.size(); ++i) {
      if (d[i] == '_') {
        if (d[i - 1] == '_') return false;
      } else if (!is_digit(d[i])) {
        return false;
      }
    }
    return true;
  }
  static bool dec(char c) { return c >= '0' && c <= '9'; }
  static bool hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
  static bool oct(char c) { return c >= '0' && c <= '7'; }
  static bool bin(char c) { return c == '0' || c == '1'; }
  static std::string strip_underscores(std::string_view d) {
    std::string out;
    for (char c : d) {
      if (c != '_') out += c;
    }
    return out;
  }

  static std::optional<Value> parse_int(std::string_view digits, int base, bool negative) {
    std::string d = (negative ? "-" : "") + strip_underscores(digits);
    std::int64_t out = 0;
    auto [p, ec] = std::from_chars(d.data(), d.data() + d.size(), out, base);
    if (ec != std::errc() || p != d.data() + d.size()) return std::nullopt;  // too big for us
    return Value(out);
  }

  static std::optional<Value> parse_number(std::string_view t, bool negative) {
    if (t.empty()) return std::nullopt;
    if (has_base_prefix(t)) {
      char kind = static_cast<char>(std::tolower(static_cast<unsigned char>(t[1])));
      std::string_view d = t.substr(2);
      if (!d.empty() && d[0] == '_') d.remove_prefix(1);
      if (kind == 'x' && digits_ok(d, hex)) return parse_int(d, 16, negative);
      if (kind == 'o' && digits_ok(d, oct)) return parse_int(d, 8, negative);
      if (kind == 'b' && digits_ok(d, bin)) return parse_int(d, 2, negative);
      return std::nullopt;
    }
    if (t.back() == 'j' || t.back() == 'J') return std::nullopt;  // complex
    size_t exp = t.find_first_of("eE");
    std::string_view mantissa = t.substr(0, exp);
    std::string_view exponent = exp == std::string_view::npos ? std::string_view() : t.substr(exp + 1);
    size_t dot = mantissa.find('.');
    std::string_view whole = mantissa.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view() : mantissa.substr(dot + 1);
    bool is_float = dot != std::string_view::npos || exp != std::string_view::npos;
    if (!whole.empty() && !digits_ok(whole, dec)) return std::nullopt;
    if (!frac.empty() && !digits_ok(frac, dec)) return std::nullopt;
    if (whole.empty() && frac.empty()) return std::nullopt;
    if (exp != std::string_view::npos) {
      std::string_view e = exponent;
      if (!e.empty() && (e[0] == '+' || e[0] == '-')) e.remove_prefix(1);
      if (!digits_ok(e, dec)) return std::nullopt;
    }
    if (!is_float) {
      bool all_zero = strip_underscores(whole).find_first_not_of('0') == std::string::npos;
      if (whole[0] == '0' && !all_zero) return std::nullopt;  // "leading zeros ... not permitted"
      return parse_int(whole, 10, negative);
    }
    std::string text = strip_underscores(whole.empty() ? "0" : whole) + "." +
                       strip_underscores(frac.empty() ? "0" : frac);
    if (exp != std::string_view::npos) text += "e" + strip_underscores(exponent);
    double out = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return Value(negative ? -out : out);
  }

  // A keyword (True/False/None) or one or more adjacent string literals.
  std::optional<Value> name_or_string() {
    size_t start = pos_;
    while (pos_ < s_.size() && is_ident_char(s_[pos_])) ++pos_;
    std::string_view word = s_.substr(start, pos_ - start);
    if (pos_ < s_.size() && (s_[pos_] == '\'' || s_[pos_] == '"')) {
      pos_ = start;
      return strings();
    }
    if (word == "True") return Value(true);
    if (word == "False") return Value(false);
    if (word == "None") return Value();
    return std::nullopt;  // any other name is not a literal
  }

  std::optional<Value> strings() {
    std::string out;
    int kind = 0;  // 1 str, 2 bytes: Python refuses to join the two
    do {
      bool raw = false, bytes = false;
      size_t start = pos_;
      while (pos_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[pos_]))) {
        char p = static_cast<char>(std::tolower(static_cast<unsigned char>(s_[pos_++])));
        if (p == 'r') raw = true;
        else if (p == 'b') bytes = true;
        else if (p != 'u') return std::nullopt;  // f-strings are not literals
      }
      if (pos_ - start > 2) return std::nullopt;
      int this_kind = bytes ? 2 : 1;
      if (kind != 0 && kind != this_kind) return std::nullopt;
      kind = this_kind;
      if (!string_body(raw, bytes, out)) return std::nullopt;
      skip_space();
    } while (pos_ < s_.size() && (s_[pos_] == '\'' || s_[pos_] == '"' || starts_prefixed_string()));
    return Value(std::move(out));
  }

  bool starts_prefixed_string() const {
    size_t i = pos_;
    while (i < s_.size() && i - pos_ < 2 && s_[i] != '\0' && std::strchr("rRbBuU", s_[i])) ++i;
    return i > pos_ && i < s_.size() && (s_[i] == '\'' || s_[i] == '"');
  }

  bool string_body(bool raw, bool bytes, std::string& out) {
    if (pos_ >= s_.size()) return false;
    char q = s_[pos_];
    bool triple = s_.substr(pos_, 3) == std::string(3, q);
    pos_ += triple ? 3 : 1;
    while (true) {
      if (pos_ >= s_.size()) return false;
      char c = s_[pos_];
      if (c == q && (!triple || s_.substr(pos_, 3) == std::string(3, q))) {
        pos_ += triple ? 3 : 1;
        return true;
      }
      if (!triple && (c == '\n' || c == '\r')) return false;
      if (bytes && static_cast<unsigned char>(c) >= 0x80) return false;
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      if (pos_ + 1 >= s_.size()) return false;
      char e = s_[pos_ + 1];
      if (raw) {
        out += c;
        out += e;
        pos_ += 2;
        continue;
      }
      pos_ += 2;
      if (!escape(e, bytes, out)) return false;
    }
  }

  bool escape(char e, bool bytes, std::string& out) {
    switch (e) {
      case '\n': return true;
      case '\\': out += '\\'; return true;
      case '\'': out += '\''; return true;
      case '"': out += '"'; return true;
      case 'a': out += '\a'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'v': out += '\v'; return true;
      default: break;
    }
    if (e >= '0' && e <= '7') {
      std::uint32_t v = static_cast<std::uint32_t>(e - '0');
      for (int n = 0; n < 2 && pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '7'; ++n) {
        v = v * 8 + static_cast<std::uint32_t>(s_[pos_++] - '0');
      }
      if (bytes) out += static_cast<char>(v & 0xFF);
      else append_utf8(out, v);
      return true;
    }
    int hex_digits = e == 'x' ? 2 : (!bytes && e == 'u') ? 4 : (!bytes && e == 'U') ? 8 : 0;
    if (hex_digits > 0) {
      if (pos_ + static_cast<size_t>(hex_digits) > s_.size()) return false;
      std::uint32_t v = 0;
      auto [p, ec] = std::from_chars(s_.data() + pos_, s_.data() + pos_ + hex_digits, v, 16);
      if (ec != std::errc() || p != s_.data() + pos_ + hex_digits || v > 0x10FFFF) return false;
      pos_ += static_cast<size_t>(hex_digits);
      if (bytes) out += static_cast<char>(v);
      else append_utf8(out, v);
      return true;
    }
    if (e == 'N' && !bytes) return false;  // named escapes: not supported
    out += '\\';  // unknown escapes keep their backslash
    out += e;
    return true;
  }

  // Python's tokenizer refuses more than 200 nested brackets ("too many
  // nested parentheses"); so do we, which also bounds our recursion.
  static constexpr int kMaxDepth = 200;
  bool open_bracket() {
    ++pos_;
    return ++depth_ <= kMaxDepth;
  }

  std::optional<Value> list() {
    if (!open_bracket()) return std::nullopt;
    Value::Array items;
    while (!eat(']')) {
      auto v = expr();
      if (!v) return std::nullopt;
      items.push_back(std::move(*v));
      if (!eat(',') && !peek(']')) return std::nullopt;
    }
    --depth_;
    return Value(std::move(items));
  }

  std::optional<Value> parenthesized() {
    if (!open_bracket()) return std::nullopt;
    auto v = tuple_or_expr(/*top=*/false);
    if (!v || !eat(')')) return std::nullopt;
    --depth_;
    return v;
  }

  std::optional<Value> dict() {
    if (!open_bracket()) return std::nullopt;
    Value::Object out;
    while (!eat('}')) {
      auto key = expr();
      if (!key || !eat(':')) return std::nullopt;  // a set, or not a literal
      if (key->is_array() || key->is_object()) return std::nullopt;  // unhashable
      auto value = expr();
      if (!value) return std::nullopt;
      out.insert_or_assign(key_text(*key), std::move(*value));
      if (!eat(',') && !peek('}')) return std::nullopt;
    }
    --depth_;
    return Value(std::move(out));
  }

  std::string_view s_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

std::optional<Value> python_literal(std::string_view text) {
  return Reader(text).top();
}

}  // namespace fleetk8s::inventory
