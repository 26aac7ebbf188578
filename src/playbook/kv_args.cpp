// A port of Ansible's splitter.py (split_args, parse_kv, join_args), kept
// close to the original so that odd inputs split the same way.
#include "fleetk8s/core/strings.h"
#include "fleetk8s/playbook/kv_args.h"
#include "fleetk8s/core/text.h"

#include <array>
#include <cstdint>

namespace fleetk8s::playbook {
namespace {

std::vector<std::string> split_on(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, at - start));
    start = at + 1;
  }
}

// The quote still open after `token`, given the one open before it (0: none).
char quote_state(const std::string& token, char quote) {
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    bool escaped = i > 0 && token[i - 1] == '\\';
    if ((c == '"' || c == '\'') && !escaped) {
      if (quote == 0) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      }
    }
  }
  return quote;
}

size_t count(const std::string& s, std::string_view what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

int block_depth(const std::string& token, int depth, std::string_view open, std::string_view close) {
  size_t opened = count(token, open);
  size_t closed = count(token, close);
  if (opened != closed) {
    depth += static_cast<int>(opened) - static_cast<int>(closed);
    if (depth < 0) depth = 0;
  }
  return depth;
}

bool parse_hex(std::string_view s, std::uint32_t& out) {
  out = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    out = out * 16 + static_cast<std::uint32_t>(d);
  }
  return true;
}

// Python's escapes as Ansible decodes them (\N{name} is left as written).
std::string decode_escapes(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char e = s[i + 1];
    static constexpr std::array<std::pair<char, char>, 10> kSimple{{{'\\', '\\'}, {'\'', '\''},
        {'"', '"'}, {'a', '\a'}, {'b', '\b'}, {'f', '\f'}, {'n', '\n'}, {'r', '\r'}, {'t', '\t'},
        {'v', '\v'}}};
    bool done = false;
    for (auto [from, to] : kSimple) {
      if (e == from) {
        out += to;
        ++i;
        done = true;
        break;
      }
    }
    if (done) continue;
    size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
    std::uint32_t cp = 0;
    if (digits && i + 2 + digits <= s.size() && parse_hex(std::string_view(s).substr(i + 2, digits), cp) &&
        cp <= 0x10FFFF) {
      append_utf8(out, cp);
      i += 1 + digits;
      continue;
    }
    out += s[i];
  }
  return out;
}

bool is_quoted(const std::string& s) {
  return s.size() > 1 && s.front() == s.back() && (s.front() == '"' || s.front() == '\'') &&
         s[s.size() - 2] != '\\';
}

std::string unquote(const std::string& s) { return is_quoted(s) ? s.substr(1, s.size() - 2) : s; }

bool is_command_option(const std::string& key) {
  static const std::array<const char*, 8> kOptions{"creates", "removes", "chdir", "executable", "warn",
                                                   "stdin", "stdin_add_newline", "strip_empty_ends"};
  for (const char* o : kOptions) {
    if (key == o) return true;
  }
  return false;
}

// Replaces every "\=" with "=".
std::string unescape_equals(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '=') continue;
    out += s[i];
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> split_args(std::string_view args) {
  std::vector<std::string> params;
  // Appends to the last parameter (starting one if there is none yet, where
  // Python would raise IndexError).
  auto last = [&params]() -> std::string& {
    if (params.empty()) params.emplace_back();
    return params.back();
  };
  std::vector<std::string> items = split_on(args, '\n');
  char quote = 0;
  bool inside_quotes = false;
  int print_depth = 0, block_depth_ = 0, comment_depth = 0;
  for (size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    std::vector<std::string> tokens = split_on(items[item_idx], ' ');
    bool line_continuation = false;
    for (size_t idx = 0; idx < tokens.size(); ++idx) {
      const std::string& token = tokens[idx];
      if (token.empty() && idx != 0) {
        last() += ' ';
        continue;
      }
      if (token == "\\" && !inside_quotes) {
        line_continuation = true;
        continue;
      }
      bool was_inside_quotes = inside_quotes;
      quote = quote_state(token, quote);
      inside_quotes = quote != 0;
      bool in_block = print_depth || block_depth_ || comment_depth;
      bool appended = false;
      if (inside_quotes && !was_inside_quotes && !in_block) {
        params.push_back(token);
        appended = true;
      } else if (in_block || inside_quotes || was_inside_quotes) {
        if (idx == 0 && was_inside_quotes) {
          last() += token;
        } else if (tokens.size() > 1) {
          last() += (idx > 0 ? " " : "") + token;
        } else {
          last() += "\n" + token;
        }
        appended = true;
      }
      int before = print_depth;
      print_depth = block_depth(token, print_depth, "{{", "}}");
      if (print_depth != before && !appended) {
        params.push_back(token);
        appended = true;
      }
      before = block_depth_;
      block_depth_ = block_depth(token, block_depth_, "{%", "%}");
      if (block_depth_ != before && !appended) {
        params.push_back(token);
        appended = true;
      }
      before = comment_depth;
      comment_depth = block_depth(token, comment_depth, "{#", "#}");
      if (comment_depth != before && !appended) {
        params.push_back(token);
        appended = true;
      }
      if (!(print_depth || block_depth_ || comment_depth) && !inside_quotes && !appended && !token.empty()) {
        params.push_back(token);
      }
    }
    if (items.size() > 1 && item_idx != items.size() - 1 && !line_continuation) last() += '\n';
  }
  if (print_depth || block_depth_ || comment_depth || inside_quotes) {
    return Error(ErrorKind::kInvalidInput,
                 "failed at splitting arguments, either an unbalanced jinja2 block or quotes: " +
                     std::string(args));
  }
  return params;
}

std::string join_args(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty() && out.back() != '\n') out += ' ';
    out += p;
  }
  return out;
}

Result<Value::Object> parse_kv(std::string_view args, bool check_raw) {
  auto words = split_args(args);
  if (!words.ok()) return words.error();
  Value::Object options;
  std::vector<std::string> raw_params;
  for (const std::string& orig : *words) {
    std::string x = decode_escapes(orig);
    // The first unescaped "=" past the first character splits key from value.
    size_t pos = std::string::npos;
    for (size_t at = x.find('=', 1); at != std::string::npos; at = x.find('=', at + 1)) {
      if (x[at - 1] != '\\') {
        pos = at;
        break;
      }
    }
    if (pos == std::string::npos) {
      raw_params.push_back(x.find('=') == std::string::npos ? orig : unescape_equals(x));
      continue;
    }
    std::string key = x.substr(0, pos);
    if (check_raw && !is_command_option(key)) {
      raw_params.push_back(orig);
    } else {
      options[trim(key)] = unquote(trim(x.substr(pos + 1)));
    }
  }
  if (!raw_params.empty()) options["_raw_params"] = join_args(raw_params);
  return options;
}

}  // namespace fleetk8s::playbook
