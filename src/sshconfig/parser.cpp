#include "parser.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <glob.h>
#include <pwd.h>
#include <unistd.h>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/core/file.h"
#include "line.h"
#include "pattern.h"
#include "values.h"

namespace fleetk8s::sshconfig {
namespace {

namespace fs = std::filesystem;
using Entry = SshConfig::Entry;

// The tokens ssh expands in each path keyword (readconf.c, ssh.c).
constexpr std::string_view kIdentityTokens = "dhijklLnpru";
constexpr std::string_view kKnownHostsTokens = "dhiklLnpru";

// ~ in an Include is expanded by glob(3) in ssh: from $HOME first.
std::string include_tilde(const std::string& path) {
  if (path.empty() || path[0] != '~') return path;
  const auto slash = path.find('/');
  const std::string user = path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
  const std::string tail = slash == std::string::npos ? "" : path.substr(slash);
  if (user.empty()) {
    if (const char* home = std::getenv("HOME"); home && *home) return home + tail;
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir + tail;
  } else if (const passwd* pw = ::getpwnam(user.c_str()); pw && pw->pw_dir) {
    return pw->pw_dir + tail;
  }
  return path;
}

std::string identity(const std::string& path) {
  std::error_code ec;
  auto p = fs::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

class Parser {
 public:
  explicit Parser(Origin origin) : origin_(std::move(origin)) {}

  Result<void> file(std::string_view text, const std::string& name, int depth) {
    stack_.push_back(identity(name));
    int number = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
      std::size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      ++number;
      if (auto r = line(text.substr(pos, end - pos), name, number, depth); !r) return r;
      pos = end + 1;
    }
    stack_.pop_back();
    return {};
  }

  std::vector<Entry> entries;

 private:
  Error error(const std::string& file, int line, const std::string& message) const {
    return Error(ErrorKind::kInvalidInput, file + ":" + std::to_string(line) + ": " + message);
  }

  Result<void> line(std::string_view text, const std::string& file, int number, int depth) {
    auto split = split_line(text);
    if (!split) return error(file, number, split.error().message());
    if (!*split) return {};
    Line& l = **split;
    const Keyword keyword = keyword_for(l.keyword);
    Entry e;
    e.file = file;
    e.line = number;
    e.keyword = keyword;
    const auto one_arg = [&]() -> Result<void> {
      if (l.args.empty() || l.args[0].empty()) return error(file, number, "missing argument after keyword \"" + l.keyword + "\"");
      if (l.args.size() > 1) return error(file, number, "keyword " + l.keyword + " extra arguments at end of line");
      return {};
    };
    switch (keyword) {
      case Keyword::kUnknown:
        for (const auto& list : ignore_unknown_)
          if (match_pattern_list(l.keyword, list, true) == 1) return {};
        return error(file, number, "Bad configuration option: " + l.keyword);
      case Keyword::kIgnored:
        return {};
      case Keyword::kIgnoreUnknown:
        if (auto r = one_arg(); !r) return r;
        ignore_unknown_.push_back(l.args[0]);
        return {};
      case Keyword::kInclude:
        return include(l.args, file, number, depth);
      case Keyword::kHost:
        if (l.args.empty()) return error(file, number, "no argument after keyword \"host\"");
        for (const auto& p : l.args)
          if (p.empty() || p == "!") return error(file, number, "keyword host empty argument");
        e.kind = Entry::Kind::kHost;
        e.args = std::move(l.args);
        break;
      case Keyword::kMatch: {
        auto criteria = match_criteria(l.args);
        if (!criteria) return error(file, number, criteria.error().message());
        e.kind = Entry::Kind::kMatch;
        e.criteria = std::move(*criteria);
        break;
      }
      default: {
        auto r = option(keyword, l, e);
        if (!r) return error(file, number, r.error().message());
        if (e.keyword == Keyword::kConnectTimeout && e.value.empty()) return {};  // "none": no value
        break;
      }
    }
    entries.push_back(std::move(e));
    return {};
  }

  // The checked value of an honoured option, into e.args / e.value.
  Result<void> option(Keyword keyword, Line& l, Entry& e) {
    const bool multi = keyword == Keyword::kUserKnownHostsFile;
    const bool rest = keyword == Keyword::kProxyJump || keyword == Keyword::kProxyCommand;
    if (l.args.empty() || l.args[0].empty())
      return Error(ErrorKind::kInvalidInput, "missing argument after keyword \"" + l.keyword + "\"");
    if (!multi && !rest && l.args.size() > 1)
      return Error(ErrorKind::kInvalidInput, "keyword " + l.keyword + " extra arguments at end of line");
    const std::string& arg = l.args[0];
    e.args = l.args;
    switch (keyword) {
      case Keyword::kPort: {
        auto port = parse_port(arg);
        if (!port) return port.error();
        e.value = std::to_string(*port);
        break;
      }
      case Keyword::kIdentitiesOnly: {
        auto flag = parse_flag(arg);
        if (!flag) return flag.error();
        e.value = *flag ? "yes" : "no";
        break;
      }
      case Keyword::kStrictHostKeyChecking: {
        auto v = parse_strict_host_key_checking(arg);
        if (!v) return v.error();
        e.value = *v;
        break;
      }
      case Keyword::kConnectTimeout: {
        auto t = parse_time(arg);
        if (!t) return t.error();
        e.value = *t ? std::to_string(**t) : "";
        break;
      }
      case Keyword::kProxyJump: {
        auto v = parse_proxy_jump(l.rest);
        if (!v) return v.error();
        e.value = *v;
        break;
      }
      case Keyword::kProxyCommand:
        e.value = l.rest;
        break;
      case Keyword::kHostName:
        if (auto r = check_tokens(arg, "h"); !r) return r.error().context("HostName");
        e.value = arg;
        break;
      case Keyword::kIdentityFile:
        if (auto r = check_tokens(arg, kIdentityTokens); !r) return r.error().context("IdentityFile");
        e.value = arg;
        break;
      case Keyword::kUserKnownHostsFile:
        for (const auto& a : l.args)
          if (auto r = check_tokens(a, kKnownHostsTokens); !r) return r.error().context("UserKnownHostsFile");
        break;
      default:  // User, HostKeyAlias
        e.value = arg;
        break;
    }
    return {};
  }

  static Result<std::vector<Criterion>> match_criteria(const std::vector<std::string>& words) {
    const auto bad = [](std::string m) { return Error(ErrorKind::kInvalidInput, std::move(m)); };
    if (words.empty()) return bad("One or more attributes required for Match");
    std::vector<Criterion> out;
    for (std::size_t i = 0; i < words.size();) {
      Criterion c;
      c.negated = !words[i].empty() && words[i][0] == '!';
      c.name = to_lower(words[i].substr(c.negated ? 1 : 0));
      if (c.name == "all") {
        for (const auto& prior : out)
          if (prior.name != "canonical" && prior.name != "final")
            return bad("'" + words[i] + "' cannot be combined with other Match attributes");
        if (i + 1 != words.size()) return bad("'" + words[i] + "' cannot be combined with other Match attributes");
        out.push_back(c);
        break;
      }
      if (c.name == "canonical" || c.name == "final") {
        out.push_back(c);
        ++i;
        continue;
      }
      if (c.name == "exec" || c.name == "localnetwork" || c.name == "tagged")
        return bad("Match " + c.name +
                   " is not supported by fleetk8s (it supports all, host, originalhost, user, localuser, "
                   "canonical, final)");
      if (c.name != "host" && c.name != "originalhost" && c.name != "user" && c.name != "localuser")
        return bad("Unsupported Match attribute " + c.name);
      if (i + 1 >= words.size() || words[i + 1].empty()) return bad("Missing Match criteria for " + c.name);
      c.patterns = words[i + 1];
      out.push_back(c);
      i += 2;
    }
    return out;
  }

  Result<void> include(const std::vector<std::string>& args, const std::string& file, int number, int depth) {
    if (args.empty()) return error(file, number, "no argument after keyword \"include\"");
    for (const auto& arg : args) {
      if (arg.empty()) return error(file, number, "keyword include empty argument");
      if (arg[0] == '~' && origin_.system) return error(file, number, "bad include path " + arg + " (no ~ in the system file)");
      const std::string pattern = include_tilde(arg[0] == '/' || arg[0] == '~' ? arg : origin_.include_dir + "/" + arg);
      glob_t g{};
      const int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
      if (rc == GLOB_NOMATCH) {  // as in ssh: an Include that matches nothing is fine
        ::globfree(&g);
        continue;
      }
      if (rc != 0) {
        ::globfree(&g);
        return error(file, number, "Include " + arg + ": glob failed");
      }
      std::vector<std::string> paths(g.gl_pathv, g.gl_pathv + g.gl_pathc);
      ::globfree(&g);
      for (const auto& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) continue;
        if (auto r = included(path, file, number, depth); !r) return r;
      }
    }
    return {};
  }

  Result<void> included(const std::string& path, const std::string& file, int number, int depth) {
    const std::string id = identity(path);
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i] != id) continue;
      std::string chain;
      for (std::size_t j = i; j < stack_.size(); ++j) chain += stack_[j] + " -> ";
      return error(file, number, "Include loop: " + chain + id);
    }
    if (depth + 1 > kMaxIncludeDepth)
      return error(file, number, "Include " + path + ": nested more than " + std::to_string(kMaxIncludeDepth) +
                                     " deep (OpenSSH's limit)");
    auto text = read_file(path);
    if (!text) return Error(text.error().kind(), file + ":" + std::to_string(number) + ": Include " + text.error().message());
    Entry start;
    start.kind = Entry::Kind::kIncludeStart;
    start.file = path;
    entries.push_back(start);
    if (auto r = this->file(*text, path, depth + 1); !r) return r;
    Entry end;
    end.kind = Entry::Kind::kIncludeEnd;
    end.file = path;
    entries.push_back(end);
    return {};
  }

  Origin origin_;
  std::vector<std::string> ignore_unknown_;  // IgnoreUnknown pattern lists seen so far
  std::vector<std::string> stack_;           // the files being read, outermost first
};

}  // namespace

Result<std::vector<SshConfig::Entry>> parse_config(std::string_view text, const Origin& origin) {
  Parser parser(origin);
  Entry start;
  start.kind = Entry::Kind::kFileStart;
  start.file = origin.file;
  parser.entries.push_back(start);
  if (auto r = parser.file(text, origin.file, 0); !r) return r.error();
  return std::move(parser.entries);
}

}  // namespace fleetk8s::sshconfig
