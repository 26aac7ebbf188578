// copy: a file with the given content (the engine turns `src` into content),
// written atomically; mode, owner and group enforced; backup and diff.
#include "arg_check.h"
#include "file_lib.h"
#include "fleetk8s/core/text.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

bool needs_base64(const std::string& s) { return s.find('\0') != std::string::npos; }

class CopyModule final : public Module {
 public:
  std::string_view name() const override { return "copy"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    auto made = make_script(args, mode);
    if (!made) return made.error().context("copy");
    return made;
  }

 private:
  static Result<std::string> make_script(const Value::Object& args, const RunMode& mode) {
    if (auto ok = no_nul(args, {"content"}); !ok) return ok.error();
    if (auto ok = check_attribute_args(args); !ok) return ok.error();
    const std::string dest = arg_string(args, "dest");
    if (dest.empty()) return Error(ErrorKind::kInvalidInput, "dest is required");
    auto content_it = args.find("content");
    if (content_it == args.end()) return Error(ErrorKind::kInvalidInput, "content (or src) is required");
    const std::string content = content_it->second.is_string() ? content_it->second.as_string()
                                                               : content_it->second.to_json();
    const bool force = arg_bool(args, "force", true);
    const bool backup = arg_bool(args, "backup", false);

    std::string s = std::string(kScriptHead) + "fk_changed=0\n";
    if (!force) s += "[ -e " + shell_quote(dest) + " ] && exit 0\n";
    s += prepare_temp_snippet(dest, mode);
    if (needs_base64(content)) {
      s += "base64 -d > \"$fk_tmp\" <<'FK_B64'\n" + base64_encode(content, true, 76) + "\nFK_B64\n";
    } else {
      s += "printf '%s' " + shell_quote(content) + " > \"$fk_tmp\" || exit 1\n";
    }
    s += install_temp_snippet(args, mode, backup);
    return s + kExitByChange;
  }
};

}  // namespace

std::unique_ptr<Module> make_copy_module() { return std::make_unique<CopyModule>(); }

}  // namespace fleetk8s::modules
