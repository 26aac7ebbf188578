#include "line.h"

#include <cctype>

namespace fleetk8s::sshconfig {
namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }

// argv_split(s, terminate_on_comment=1) from OpenSSH's misc.c: words
// separated by blanks, "double" and 'single' quotes, backslash escaping a
// quote, a backslash or (outside quotes) a blank; a word starting with #
// ends the line.
Result<std::vector<std::string>> split_args(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (blank(s[i])) {
      ++i;
      continue;
    }
    if (s[i] == '#') break;
    std::string word;
    char quote = 0;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '\\' && i + 1 < s.size() &&
          (s[i + 1] == '\'' || s[i + 1] == '"' || s[i + 1] == '\\' || (quote == 0 && s[i + 1] == ' '))) {
        word += s[++i];
      } else if (quote == 0 && blank(c)) {
        break;
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    }
    if (quote != 0) return Error(ErrorKind::kInvalidInput, "invalid quotes");
    out.push_back(std::move(word));
  }
  return out;
}

}  // namespace

Result<std::optional<Line>> split_line(std::string_view text) {
  // Trailing whitespace (and a form feed or CR) is not part of the line.
  while (!text.empty() && (blank(text.back()) || text.back() == '\r' || text.back() == '\n' || text.back() == '\f'))
    text.remove_suffix(1);
  std::size_t i = 0;
  while (i < text.size() && blank(text[i])) ++i;
  if (i == text.size() || text[i] == '#') return std::optional<Line>();

  // The keyword ends at a blank, a quote or '='; then blanks, at most one
  // '=', and blanks again.
  const std::size_t start = i;
  while (i < text.size() && !blank(text[i]) && text[i] != '=' && text[i] != '"') ++i;
  Line line;
  for (char c : text.substr(start, i - start))
    line.keyword += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (line.keyword.empty()) return std::optional<Line>();  // "=x": ssh skips it too
  while (i < text.size() && blank(text[i])) ++i;
  if (i < text.size() && text[i] == '=') ++i;
  while (i < text.size() && blank(text[i])) ++i;

  line.rest = std::string(text.substr(i));
  if (line.rest.empty())
    return Error(ErrorKind::kInvalidInput, "no argument after keyword \"" + line.keyword + "\"");
  auto args = split_args(line.rest);
  if (!args) return args.error();
  line.args = std::move(*args);
  return std::optional<Line>(std::move(line));
}

}  // namespace fleetk8s::sshconfig
