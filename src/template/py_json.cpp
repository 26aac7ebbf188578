#include "py_json.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "python_repr.h"
#include "utf8.h"

namespace fleetk8s::tmpl::detail {
namespace {

void write_string(std::string& out, const std::string& s, bool ensure_ascii) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    char buf[16];
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '\b') out += "\\b";
    else if (c == '\f') out += "\\f";
    else if (c < 0x20 || (ensure_ascii && c == 0x7F)) {
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else if (c >= 0x80 && ensure_ascii) {
      std::uint32_t cp = next_code_point(s, i);
      if (cp >= 0x10000) {
        cp -= 0x10000;
        std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
      } else {
        std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      }
      out += buf;
      continue;
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
}

void write(std::string& out, const Value& v, const JsonStyle& style, int depth) {
  const char* item_sep = style.item_separator ? style.item_separator : (style.indent < 0 ? ", " : ",");
  auto newline = [&](int d) {
    if (style.indent < 0) return;
    out += '\n';
    out.append(static_cast<size_t>(style.indent * d), ' ');
  };
  switch (v.type()) {
    case Value::Type::kNull: out += "null"; break;
    case Value::Type::kBool: out += v.as_bool() ? "true" : "false"; break;
    case Value::Type::kInt: out += std::to_string(v.as_int()); break;
    case Value::Type::kDouble: {
      double d = v.as_double();
      if (std::isnan(d)) out += "NaN";
      else if (std::isinf(d)) out += d < 0 ? "-Infinity" : "Infinity";
      else out += py_float_repr(d);
      break;
    }
    case Value::Type::kString: write_string(out, v.as_string(), style.ensure_ascii); break;
    case Value::Type::kArray: {
      if (v.as_array().empty()) {
        out += "[]";
        break;
      }
      out += '[';
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (!first) out += item_sep;
        first = false;
        newline(depth + 1);
        write(out, item, style, depth + 1);
      }
      newline(depth);
      out += ']';
      break;
    }
    case Value::Type::kObject: {
      if (v.as_object().empty()) {
        out += "{}";
        break;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, member] : v.as_object()) {
        if (!first) out += item_sep;
        first = false;
        newline(depth + 1);
        write_string(out, key, style.ensure_ascii);
        out += style.key_separator;
        write(out, member, style, depth + 1);
      }
      newline(depth);
      out += '}';
      break;
    }
  }
}

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  Result<Value> document() {
    auto v = value();
    if (!v) return v;
    skip_space();
    if (pos_ != s_.size()) return fail("Extra data");
    return v;
  }

 private:
  Error fail(const std::string& what) const {
    return Error(ErrorKind::kInvalidInput, what + " at char " + std::to_string(pos_));
  }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Result<Value> value() {
    if (++depth_ > 512) return fail("Nesting too deep");
    skip_space();
    if (pos_ >= s_.size()) return fail("Expecting value");
    char c = s_[pos_];
    Result<Value> out = Value();
    if (c == '{') out = object();
    else if (c == '[') out = array();
    else if (c == '"') {
      auto s = string();
      out = s ? Result<Value>(Value(std::move(*s))) : Result<Value>(s.error());
    } else if (literal("true")) out = Value(true);
    else if (literal("false")) out = Value(false);
    else if (literal("null")) out = Value();
    else if (literal("NaN")) out = Value(std::nan(""));
    else if (literal("Infinity")) out = Value(HUGE_VAL);
    else if (literal("-Infinity")) out = Value(-HUGE_VAL);
    else out = number();
    --depth_;
    return out;
  }

  Result<Value> number() {
    size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (digits() == 0) {
      pos_ = start;
      return fail("Expecting value");
    }
    bool is_float = false;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      is_float = true;
      if (digits() == 0) return fail("Expecting digits after '.'");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      is_float = true;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (digits() == 0) return fail("Expecting exponent digits");
    }
    std::string text(s_.substr(start, pos_ - start));
    if (!is_float) {
      errno = 0;
      long long n = std::strtoll(text.c_str(), nullptr, 10);
      if (errno != ERANGE) return Value(static_cast<std::int64_t>(n));
    }
    return Value(std::strtod(text.c_str(), nullptr));
  }

  Result<std::string> string() {
    ++pos_;  // "
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (static_cast<unsigned char>(c) < 0x20) return fail("Invalid control character");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          auto unit = hex4();
          if (!unit) return unit.error();
          std::uint32_t cp = *unit;
          if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            auto low = hex4();
            if (!low) return low.error();
            if (*low >= 0xDC00 && *low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
            } else {
              append_utf8(out, cp);
              cp = *low;
            }
          }
          append_utf8(out, cp);
          break;
        }
        default:
          return fail("Invalid \\escape");
      }
    }
    if (pos_ >= s_.size()) return fail("Unterminated string");
    ++pos_;
    return out;
  }

  Result<std::uint32_t> hex4() {
    if (pos_ + 4 > s_.size()) return fail("Invalid \\uXXXX escape");
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return fail("Invalid \\uXXXX escape");
      v = v * 16 + static_cast<std::uint32_t>(d);
    }
    return v;
  }

  Result<Value> array() {
    ++pos_;
    Value::Array items;
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return Value(std::move(items));
    }
    for (;;) {
      auto item = value();
      if (!item) return item;
      items.push_back(std::move(*item));
      skip_space();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        return Value(std::move(items));
      }
      return fail("Expecting ',' delimiter");
    }
  }

  Result<Value> object() {
    ++pos_;
    Value::Object members;
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return Value(std::move(members));
    }
    for (;;) {
      skip_space();
      if (pos_ >= s_.size() || s_[pos_] != '"') return fail("Expecting property name enclosed in double quotes");
      auto key = string();
      if (!key) return key.error();
      skip_space();
      if (pos_ >= s_.size() || s_[pos_] != ':') return fail("Expecting ':' delimiter");
      ++pos_;
      auto member = value();
      if (!member) return member;
      members[*key] = std::move(*member);
      skip_space();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        return Value(std::move(members));
      }
      return fail("Expecting ',' delimiter");
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

std::string json_dumps(const Value& v, const JsonStyle& style) {
  std::string out;
  write(out, v, style, 0);
  return out;
}

Result<Value> json_loads(std::string_view text) { return Reader(text).document(); }

}  // namespace fleetk8s::tmpl::detail
