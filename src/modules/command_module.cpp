// command, shell and raw: run the user's command; always "changed" when it
// runs, skipped by creates/removes, as Ansible does.
//
// command never involves a shell, as Ansible's does not: its free-form text
// is split into words here, on the controller, with Python's shlex rules
// (or taken from argv:), and each word reaches the host's sh as one quoted
// word that `exec` hands to execve. No ';', '|', '&', '<', '>', '*', `...`
// or $(...) means anything. Like Ansible's run_command, a word's $NAME and
// ${NAME} take the host's environment variable (kept as written when it is
// unset) and a leading ~ or ~user becomes the home directory: data in, data
// out, nothing evaluated. shell and raw run their text with a shell, by
// design: it is a program.
#include <algorithm>
#include <sstream>

#include "fleetk8s/core/random.h"
#include "fleetk8s/core/shlex.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// Ansible's strip_empty_ends: trailing newlines (and CRs) go.
std::string strip_ends(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Starts the first stdout line of a verdict the script reaches before the
// command runs ("TOKEN skip" for creates, removes and check mode, "TOKEN
// fail" for chdir), with exit 101; the message follows. Random per run, so
// a command that exits 101 and prints "skipped" is reported as the failure
// it is, not as a skip.
const std::string& verdict_token() {
  static const std::string token = "fleetk8s-verdict-" + random_hex();
  return token;
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A POSIX shell variable name, which sh can expand.
bool is_sh_name(const std::string& s) {
  return !s.empty() && !(s[0] >= '0' && s[0] <= '9') &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_word_char(c); });
}

// A user name sh may see unquoted after '~' (not ~+ or ~- or ~1, which
// name directories, not users).
bool is_login_name(const std::string& s) {
  return !s.empty() && (is_word_char(s[0]) && !(s[0] >= '0' && s[0] <= '9')) &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_word_char(c) || c == '.' || c == '-'; });
}

// Writes words for the host's sh the way Ansible's run_command passes them
// to execve: Python's os.path.expandvars (only $NAME and ${NAME}, from the
// host's environment variables, unset ones left as written) then expanduser (a
// leading ~ or ~user). Every other character is quoted.
class HostWords {
 public:
  // The sh text of `w` as one word. Errors: a NUL byte (execve cannot take it).
  Result<std::string> word(const std::string& w) {
    if (w.find('\0') != std::string::npos) {
      return Error(ErrorKind::kInvalidInput, "an argument contains a NUL byte");
    }
    std::string out, literal;
    auto flush = [&] {
      if (!literal.empty()) out += shell_quote(literal);
      literal.clear();
    };
    size_t i = 0;
    if (!w.empty() && w[0] == '~') {
      const size_t slash = w.find('/');
      const std::string user = w.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
      if (user.empty() || is_login_name(user)) {
        // Unquoted up to the slash, so that sh does the tilde expansion.
        out = "~" + user + (slash == std::string::npos ? "" : "/");
        i = slash == std::string::npos ? w.size() : slash + 1;
      }
    }
    while (i < w.size()) {
      if (w[i] != '$' || i + 1 == w.size()) {
        literal += w[i++];
        continue;
      }
      size_t end = i + 1;
      std::string name;
      if (is_word_char(w[end])) {
        while (end < w.size() && is_word_char(w[end])) ++end;
        name = w.substr(i + 1, end - i - 1);
      } else if (w[end] == '{' && w.find('}', end) != std::string::npos) {
        end = w.find('}', end) + 1;
        name = w.substr(i + 2, end - i - 3);
      } else {
        literal += w[i++];
        continue;
      }
      const std::string written = w.substr(i, end - i);
      i = end;
      if (!is_sh_name(name)) {  // "$1x", "${a b}": no such variable can be set
        literal += written;
        continue;
      }
      flush();
      const std::string var = "fk_w" + std::to_string(++vars_);
      // printenv sees the environment only, as Python's os.environ does
      // (not sh's own IFS or PPID); the '.' keeps trailing newlines.
      setup_ += "if printenv " + name + " >/dev/null; then " + var + "=$(printenv " + name + "; echo .); " + var +
                "=${" + var + "%??}; else " + var + "=" + shell_quote(written) + "; fi\n";
      out += "\"$" + var + "\"";
    }
    flush();
    if (out.empty()) out = "''";
    return out;
  }

  // Assignments the words need, to run before any of them.
  const std::string& setup() const { return setup_; }

 private:
  std::string setup_;
  int vars_ = 0;
};

// The words of command's command line: argv:, or the free-form text split as
// Ansible's command module splits it (shlex.split, no comments).
Result<std::vector<std::string>> command_words(const Value::Object& args) {
  if (auto it = args.find("argv"); it != args.end() && it->second.is_array()) {
    std::vector<std::string> words;
    for (const auto& a : it->second.as_array()) words.push_back(a.to_display());
    return words;
  }
  auto words = shlex_split(arg_string(args, "_raw_params"), ShlexComments::kKeep);
  if (!words) return Error(ErrorKind::kInvalidInput, "command: cannot split the command line: " + words.error().message());
  return words;
}

class CommandModule final : public Module {
 public:
  explicit CommandModule(std::string name) : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }

  // Ansible's order: chdir, then creates and removes (relative to it),
  // then check mode, then the command.
  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    HostWords words;
    auto run = program(args, words);
    if (!run) return run.error();
    auto guards = preconditions(args, words);
    if (!guards) return guards.error();
    if (mode.check) {
      // Ansible skips command/shell in check mode unless creates/removes decide.
      return words.setup() + *guards + "printf '%s skip\\nskipped: command would run (check mode)\\n' " +
             shell_quote(verdict_token()) + "; exit 101\n";
    }
    if (auto it = args.find("stdin"); it != args.end() && !it->second.is_null()) {
      const char* format = arg_bool(args, "stdin_add_newline", true) ? "'%s\\n'" : "'%s'";
      run->exec = std::string("printf ") + format + " " + shell_quote(it->second.to_display()) + " | " + run->exec;
    }
    return words.setup() + *guards + run->check + run->exec + "\n";
  }

  Outcome interpret(const CommandResult& ran, const Value::Object& args, const RunMode&) const override {
    Outcome o;
    const std::string skip = verdict_token() + " skip\n", fail = verdict_token() + " fail\n";
    if (ran.exit_status == 101 && ran.exit_signal.empty() && ran.out.compare(0, skip.size(), skip) == 0) {
      o.msg = strip_ends(ran.out.substr(skip.size()));
      o.result["stdout"] = o.msg;
      o.result["rc"] = 0;
      o.skipped = o.msg.rfind("skipped:", 0) == 0;  // check mode: skipped; creates/removes: ok
      return o;
    }
    if (ran.exit_status == 101 && ran.exit_signal.empty() && ran.out.compare(0, fail.size(), fail) == 0) {
      o.failed = true;  // as Ansible's: not run, so not changed, and no rc
      o.msg = strip_ends(ran.out.substr(fail.size()));
      o.result["stderr"] = strip_ends(ran.err);
      return o;
    }
    const bool strip = arg_bool(args, "strip_empty_ends", true);
    o.changed = true;
    o.result["rc"] = ran.exit_signal.empty() ? ran.exit_status : -1;
    o.result["stdout"] = strip ? strip_ends(ran.out) : ran.out;
    o.result["stderr"] = strip ? strip_ends(ran.err) : ran.err;
    Value::Array out_lines, err_lines;
    for (auto& l : lines_of(ran.out)) out_lines.emplace_back(l);
    for (auto& l : lines_of(ran.err)) err_lines.emplace_back(l);
    o.result["stdout_lines"] = std::move(out_lines);
    o.result["stderr_lines"] = std::move(err_lines);
    if (!ran.success()) {
      o.failed = true;
      o.msg = ran.exit_signal.empty() ? "non-zero return code" : "killed by signal " + ran.exit_signal;
    }
    return o;
  }

 private:
  // Two parts: the program's name checked, then "exec WORDS" (the last
  // command of a pipeline when stdin is given; no newline yet). The program
  // replaces the script's shell, found on PATH as execvp finds it (never a
  // shell builtin, function or keyword). A name starting with '-' would be
  // read as an option of bash's exec, so it is refused as execvp would
  // refuse a missing program.
  struct ExecLine {
    std::string check, exec;
  };

  // What runs: command's words; shell's text given to its executable; raw's text as the script.
  Result<ExecLine> program(const Value::Object& args, HostWords& words) const {
    if (name_ == "command") {
      auto argv = command_words(args);
      if (!argv) return argv.error();
      if (argv->empty()) return Error(ErrorKind::kInvalidInput, "command: no command given");
      return exec_line(words, *argv);
    }
    const std::string text = arg_string(args, "_raw_params", arg_string(args, "cmd"));
    if (text.empty()) return Error(ErrorKind::kInvalidInput, name_ + ": no command given");
    const std::string executable = arg_string(args, "executable");
    if (name_ == "raw" && executable.empty()) return ExecLine{"", text};
    // The executable is a path (expanded as command's words); the text goes
    // to it exactly as written: its $NAME are the program's.
    auto run = exec_line(words, {executable.empty() ? std::string("/bin/sh") : executable});
    if (!run) return run.error();
    run->exec += " -c " + shell_quote(text);
    return run;
  }

  // chdir, creates and removes: each decides before anything runs, as the
  // script's own verdict (exit 101 after the token line).
  static Result<std::string> preconditions(const Value::Object& args, HostWords& words) {
    const std::string token = shell_quote(verdict_token());
    std::string out;
    if (const std::string chdir = arg_string(args, "chdir"); !chdir.empty()) {
      // "./" keeps a relative directory from meaning OLDPWD ("-") or a CDPATH entry.
      const bool relative = chdir[0] != '/' && chdir[0] != '~' && chdir[0] != '$';
      auto dir = words.word(relative ? "./" + chdir : chdir);
      if (!dir) return dir.error();
      out += "cd -- " + *dir + " || { printf '%s fail\\nUnable to change directory before execution: %s\\n' " +
             token + " " + *dir + "; exit 101; }\n";
    }
    const std::string creates = arg_string(args, "creates");
    const std::string removes = arg_string(args, "removes");
    if (!creates.empty() || !removes.empty()) {
      // glob.glob() as Ansible's creates/removes: the pattern is data that
      // only pathname expansion reads (no field splitting, nothing run).
      out += "fk_exists() ( IFS=; set -- $1; [ -e \"$1\" ] || [ -L \"$1\" ] )\n";
    }
    if (!creates.empty()) {
      auto w = words.word(creates);
      if (!w) return w.error();
      out += "if fk_exists " + *w + "; then printf '%s skip\\nskipped, since %s exists\\n' " + token + " " + *w +
             "; exit 101; fi\n";
    }
    if (!removes.empty()) {
      auto w = words.word(removes);
      if (!w) return w.error();
      out += "if ! fk_exists " + *w + "; then printf '%s skip\\nskipped, since %s does not exist\\n' " + token +
             " " + *w + "; exit 101; fi\n";
    }
    return out;
  }

  static Result<ExecLine> exec_line(HostWords& words, const std::vector<std::string>& argv) {
    auto program = words.word(argv[0]);
    if (!program) return program.error();
    ExecLine l;
    l.check = "fk_argv0=" + *program +
              "\ncase $fk_argv0 in -*) printf '%s: command not found\\n' \"$fk_argv0\" >&2; exit 127;; esac\n";
    l.exec = "exec \"$fk_argv0\"";
    for (size_t i = 1; i < argv.size(); ++i) {
      auto w = words.word(argv[i]);
      if (!w) return w.error();
      l.exec += " " + *w;
    }
    return l;
  }

  std::string name_;
};

}  // namespace

std::unique_ptr<Module> make_command_module(std::string name) {
  return std::make_unique<CommandModule>(std::move(name));
}

}  // namespace fleetk8s::modules
