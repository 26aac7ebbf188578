// modprobe (community.general.modprobe): a kernel module loaded now, and
// with `persistent: present` also at boot (/etc/modules-load.d/NAME.conf).
#include "file_lib.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

class ModprobeModule final : public Module {
 public:
  std::string_view name() const override { return "modprobe"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    const std::string mod = arg_string(args, "name");
    const std::string state = arg_string(args, "state", "present");
    const std::string persistent = arg_string(args, "persistent", "disabled");
    const std::string params = arg_string(args, "params");
    if (mod.empty()) return Error(ErrorKind::kInvalidInput, "modprobe: name is required");
    if (state != "present" && state != "absent") {
      return Error(ErrorKind::kInvalidInput, "modprobe: state must be one of: present, absent; got \"" + state + "\"");
    }
    if (persistent != "present" && persistent != "absent" && persistent != "disabled") {
      return Error(ErrorKind::kInvalidInput,
                   "modprobe: persistent must be one of: present, absent, disabled; got \"" + persistent + "\"");
    }
    // lsmod prints names with underscores.
    std::string listed = mod;
    for (char& c : listed) if (c == '-') c = '_';
    std::string s = "fk_changed=0\nfk_m=" + quote(mod) + "\n";
    s += "if lsmod | awk -v m=" + quote(listed) + " '$1 == m { found = 1 } END { exit !found }'; then fk_loaded=1; else fk_loaded=0; fi\n";
    const std::string run_modprobe = state == "present" ? "modprobe \"$fk_m\"" + (params.empty() ? "" : " " + params)
                                                        : "modprobe -r \"$fk_m\"";
    const std::string act = mode.check ? "fk_changed=1"
                                       : "fk_changed=1; fk_out=$(" + run_modprobe + " 2>&1) || { echo \"$fk_out\" >&2; exit 1; }";
    s += state == "present" ? "if [ $fk_loaded = 0 ]; then " + act + "; fi\n" : "if [ $fk_loaded = 1 ]; then " + act + "; fi\n";
    if (persistent != "disabled") {
      Value::Object file_args;  // the modules-load.d file: plain 0644, root-owned
      s += "fk_keep_changed=$fk_changed; fk_changed=0\n";
      if (persistent == "present") {
        s += prepare_temp_snippet("/etc/modules-load.d/" + mod + ".conf");
        s += "printf '%s\\n' \"$fk_m\" > \"$fk_tmp\" || exit 1\n";
        s += install_temp_snippet(file_args, mode, false);
        if (!params.empty()) {
          s += prepare_temp_snippet("/etc/modprobe.d/" + mod + ".conf");
          s += "printf 'options %s %s\\n' \"$fk_m\" " + quote(params) + " > \"$fk_tmp\" || exit 1\n";
          s += install_temp_snippet(file_args, mode, false);
        }
      } else {
        s += "for fk_f in /etc/modules-load.d/" + mod + ".conf /etc/modprobe.d/" + mod + ".conf; do\n";
        s += "  if [ -e \"$fk_f\" ]; then fk_changed=1" + std::string(mode.check ? "" : "; rm -f \"$fk_f\"") + "; fi\ndone\n";
      }
      s += "[ \"$fk_keep_changed\" = 1 ] && fk_changed=1\n";
    }
    return s + kExitByChange;
  }
};

}  // namespace

std::unique_ptr<Module> make_modprobe_module() { return std::make_unique<ModprobeModule>(); }

}  // namespace fleetk8s::modules
