// file: directories, links, empty files, removal, and attributes.
#include "arg_check.h"
#include "file_lib.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

class FileModule final : public Module {
 public:
  std::string_view name() const override { return "file"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    const std::string path = arg_string(args, "path", arg_string(args, "dest", arg_string(args, "name")));
    if (auto ok = no_nul(args); !ok) return ok.error().context("file");
    if (path.empty()) return Error(ErrorKind::kInvalidInput, "file: path is required");
    if (auto ok = check_attribute_args(args); !ok) return ok.error().context("file");
    const std::string state = arg_string(args, "state");
    const bool check = mode.check;
    std::string s = std::string(kScriptHead) + "fk_changed=0\nfk_path=" + shell_quote(path) + "\n";
    auto act = [&](const std::string& cmd) { return check ? std::string("fk_changed=1") : "fk_changed=1; " + cmd + " || exit 1"; };

    if (state == "absent") {
      s += "if [ -e \"$fk_path\" ] || [ -L \"$fk_path\" ]; then " + act("rm -rf -- \"$fk_path\"") + "; fi\n";
      return s + kExitByChange;
    }
    if (state == "directory") {
      s += "if [ -e \"$fk_path\" ] && [ ! -d \"$fk_path\" ]; then echo \"$fk_path exists and is not a directory\" >&2; exit 1; fi\n";
      s += "if [ ! -d \"$fk_path\" ]; then " + act("(umask 022 && mkdir -p -- \"$fk_path\")") + "; fi\n";
      s += check ? when_exists("[ -d \"$fk_path\" ]", attributes_snippet("fk_path", args, mode))
                 : attributes_snippet("fk_path", args, mode);
      return s + kExitByChange;
    }
    if (state == "touch") {
      // A new empty file gets Ansible's default 0644, or starts private
      // when a mode follows.
      const bool private_first = args.count("mode") && !args.at("mode").is_null();
      s += "if [ ! -e \"$fk_path\" ]; then " +
           act(private_first ? "touch -- \"$fk_path\"" : "(umask 022 && touch -- \"$fk_path\")") + "; fi\n";
      s += check ? when_exists("[ -e \"$fk_path\" ]", attributes_snippet("fk_path", args, mode))
                 : attributes_snippet("fk_path", args, mode);
      return s + kExitByChange;
    }
    if (state == "link" || state == "hard") {
      const std::string src = arg_string(args, "src");
      if (src.empty()) return Error(ErrorKind::kInvalidInput, "file: src is required for state=" + state);
      s += "fk_src=" + shell_quote(src) + "\n";
      if (state == "link") {
        s += "if [ \"$(readlink -- \"$fk_path\" 2>/dev/null)\" != \"$fk_src\" ]; then\n";
        s += "  if [ -e \"$fk_path\" ] && [ ! -L \"$fk_path\" ]; then echo \"refusing to replace $fk_path, not a link\" >&2; exit 1; fi\n";
        s += "  " + act("ln -sfn -- \"$fk_src\" \"$fk_path\"") + "\nfi\n";
      } else {
        s += "if [ ! \"$fk_path\" -ef \"$fk_src\" ]; then " + act("ln -f -- \"$fk_src\" \"$fk_path\"") + "; fi\n";
      }
      return s + kExitByChange;
    }
    if (state.empty() || state == "file") {
      s += "if [ ! -e \"$fk_path\" ]; then echo \"file ($fk_path) is absent, cannot continue\" >&2; exit 1; fi\n";
      s += attributes_snippet("fk_path", args, mode);
      return s + kExitByChange;
    }
    return Error(ErrorKind::kInvalidInput,
                 "file: state must be one of: absent, directory, file, hard, link, touch; got \"" + state + "\"");
  }
};

}  // namespace

std::unique_ptr<Module> make_file_module() { return std::make_unique<FileModule>(); }

}  // namespace fleetk8s::modules
