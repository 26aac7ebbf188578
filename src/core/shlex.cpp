// Mirrors shlex.shlex.read_token() with posix=True, whitespace_split=True.
#include "fleetk8s/core/shlex.h"

namespace fleetk8s {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

Result<std::vector<std::string>> shlex_split(std::string_view line, ShlexComments comments) {
  std::vector<std::string> tokens;
  std::string token;
  bool in_token = false;  // also true for an empty quoted token ('')
  size_t i = 0;
  auto end_token = [&] {
    if (in_token) tokens.push_back(token);
    token.clear();
    in_token = false;
  };
  while (i < line.size()) {
    char c = line[i++];
    if (is_space(c)) {
      end_token();
    } else if (c == '#' && comments == ShlexComments::kStrip) {
      end_token();
      const size_t eol = line.find('\n', i);
      i = eol == std::string_view::npos ? line.size() : eol + 1;
    } else if (c == '\\') {
      if (i >= line.size()) return Error(ErrorKind::kInvalidInput, "No escaped character");
      token += line[i++];
      in_token = true;
    } else if (c == '\'') {
      size_t close = line.find('\'', i);
      if (close == std::string_view::npos) {
        return Error(ErrorKind::kInvalidInput, "No closing quotation");
      }
      token.append(line.substr(i, close - i));
      i = close + 1;
      in_token = true;
    } else if (c == '"') {
      in_token = true;
      while (true) {
        if (i >= line.size()) return Error(ErrorKind::kInvalidInput, "No closing quotation");
        char q = line[i++];
        if (q == '"') break;
        if (q == '\\' && i < line.size() && (line[i] == '"' || line[i] == '\\')) {
          token += line[i++];
        } else {
          token += q;
        }
      }
    } else {
      token += c;
      in_token = true;
    }
  }
  end_token();
  return tokens;
}

}  // namespace fleetk8s
