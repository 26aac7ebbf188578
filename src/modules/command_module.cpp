// command, shell and raw: run the user's command; always "changed" when it
// runs, skipped by creates/removes, as Ansible does.
#include <sstream>

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

std::string chomp(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

class CommandModule final : public Module {
 public:
  explicit CommandModule(std::string name) : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    std::string cmd = arg_string(args, "_raw_params", arg_string(args, "cmd"));
    if (name_ == "command") {
      if (auto it = args.find("argv"); it != args.end() && it->second.is_array()) {
        cmd.clear();
        for (const auto& a : it->second.as_array()) cmd += (cmd.empty() ? "" : " ") + quote(a.to_display());
      }
    }
    if (cmd.empty()) return Error(ErrorKind::kInvalidInput, name_ + ": no command given");
    std::string s;
    const std::string creates = arg_string(args, "creates");
    const std::string removes = arg_string(args, "removes");
    if (!creates.empty()) {
      s += "if [ -e " + quote(creates) + " ]; then echo " + quote("skipped, since " + creates + " exists") +
           "; exit 101; fi\n";
    }
    if (!removes.empty()) {
      s += "if [ ! -e " + quote(removes) + " ]; then echo " +
           quote("skipped, since " + removes + " does not exist") + "; exit 101; fi\n";
    }
    if (mode.check) {
      // Ansible skips command/shell in check mode unless creates/removes decide.
      s += "echo 'skipped: command would run (check mode)'; exit 101\n";
      return s;
    }
    const std::string chdir = arg_string(args, "chdir");
    if (!chdir.empty()) s += "cd " + quote(chdir) + " || exit 1\n";
    const std::string in = arg_string(args, "stdin");
    const std::string input = in.empty() ? "" : "printf '%s\\n' " + quote(in) + " | ";
    if (name_ == "shell") {
      const std::string sh = arg_string(args, "executable", "/bin/sh");
      s += input + sh + " -c " + quote(cmd) + "\n";
    } else {
      // command: no shell features, as Ansible's command module (words split by the shell here).
      s += input + cmd + "\n";
    }
    return s;
  }

  Outcome interpret(const CommandResult& ran, const Value::Object&, const RunMode&) const override {
    Outcome o;
    if (ran.exit_status == 101 && ran.out.rfind("skipped", 0) == 0) {
      o.msg = chomp(ran.out);
      o.result["stdout"] = o.msg;
      o.result["rc"] = 0;
      o.skipped = ran.out.rfind("skipped:", 0) == 0;  // check mode: skipped; creates/removes: ok
      return o;
    }
    o.changed = true;
    o.result["rc"] = ran.exit_signal.empty() ? ran.exit_status : -1;
    o.result["stdout"] = chomp(ran.out);
    o.result["stderr"] = chomp(ran.err);
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
  std::string name_;
};

}  // namespace

std::unique_ptr<Module> make_command_module(std::string name) {
  return std::make_unique<CommandModule>(std::move(name));
}

}  // namespace fleetk8s::modules
