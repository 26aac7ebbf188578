// copy: a file with the given content (the engine turns `src` into content),
// written atomically; mode, owner and group enforced; backup and diff.
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
    const std::string dest = arg_string(args, "dest");
    if (dest.empty()) return Error(ErrorKind::kInvalidInput, "copy: dest is required");
    auto content_it = args.find("content");
    if (content_it == args.end()) return Error(ErrorKind::kInvalidInput, "copy: content (or src) is required");
    const std::string content = content_it->second.is_string() ? content_it->second.as_string()
                                                               : content_it->second.to_json();
    if (auto it = args.find("mode"); it != args.end()) {
      if (auto m = normalise_mode(it->second); !m) return m.error().context("copy");
    }
    const bool force = arg_bool(args, "force", true);
    const bool backup = arg_bool(args, "backup", false);

    std::string s = "fk_changed=0\n" + prepare_temp_snippet(dest);
    if (!force) s += "[ -e \"$fk_dest\" ] && exit 0\n";
    s += "(umask 077; : > \"$fk_tmp\") || exit 1\n";
    if (needs_base64(content)) {
      s += "base64 -d > \"$fk_tmp\" <<'FK_B64'\n" + base64_encode(content, true, 76) + "\nFK_B64\n";
    } else {
      s += "printf '%s' " + quote(content) + " > \"$fk_tmp\" || exit 1\n";
    }
    s += install_temp_snippet(args, mode, backup);
    return s + kExitByChange;
  }
};

}  // namespace

std::unique_ptr<Module> make_copy_module() { return std::make_unique<CopyModule>(); }

}  // namespace fleetk8s::modules
