// modprobe (community.general.modprobe): a kernel module loaded now, and
// with `persistent: present` also at boot (/etc/modules-load.d/NAME.conf).
#include "arg_check.h"
#include "file_lib.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

// `params` split into words as Ansible's shlex.split does for plain
// "key=value key2=value2" strings (quotes are not interpreted); each word
// is `key` or `key=value` with a module-parameter name.
Result<std::vector<std::string>> param_words(const std::string& params) {
  if (auto ok = one_line("params", params); !ok) return ok.error();
  std::vector<std::string> out;
  std::string cur;
  for (char c : params + " ") {
    if (c != ' ' && c != '\t') {
      cur += c;
      continue;
    }
    if (cur.empty()) continue;
    const std::string key = cur.substr(0, cur.find('='));
    if (auto ok = check_name("params", key, "_-", "a module parameter name (in \"" + shown(cur) + "\")"); !ok) {
      return ok.error();
    }
    out.push_back(cur);
    cur.clear();
  }
  return out;
}

class ModprobeModule final : public Module {
 public:
  std::string_view name() const override { return "modprobe"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    auto made = make_script(args, mode);
    if (!made) return made.error().context("modprobe");
    return made;
  }

 private:
  static Result<std::string> make_script(const Value::Object& args, const RunMode& mode) {
    if (auto ok = no_nul(args); !ok) return ok.error();
    const std::string mod = arg_string(args, "name");
    const std::string state = arg_string(args, "state", "present");
    const std::string persistent = arg_string(args, "persistent", "disabled");
    if (mod.empty()) return Error(ErrorKind::kInvalidInput, "name is required");
    if (state != "present" && state != "absent") {
      return Error(ErrorKind::kInvalidInput, "state must be one of: present, absent; got \"" + shown(state) + "\"");
    }
    if (persistent != "present" && persistent != "absent" && persistent != "disabled") {
      return Error(ErrorKind::kInvalidInput,
                   "persistent must be one of: present, absent, disabled; got \"" + shown(persistent) + "\"");
    }
    // The name also names files (and "*" would name them all).
    if (auto ok = check_name("name", mod, "_-", "a kernel module name"); !ok) return ok.error();
    auto params = param_words(arg_string(args, "params"));
    if (!params) return params.error();
    std::string words, joined;
    for (const auto& p : *params) {
      words += " " + shell_quote(p);
      joined += (joined.empty() ? "" : " ") + p;
    }

    // lsmod prints names with underscores.
    std::string listed = mod;
    for (char& c : listed) if (c == '-') c = '_';
    std::string s = std::string(kScriptHead) + "fk_changed=0\nfk_m=" + shell_quote(mod) + "\nfk_listed=" + shell_quote(listed) + "\n";
    s += "if lsmod | fk_listed=\"$fk_listed\" awk '$1 == ENVIRON[\"fk_listed\"] { found = 1 } END { exit !found }'; "
         "then fk_loaded=1; else fk_loaded=0; fi\n";
    const std::string run_modprobe = state == "present" ? "modprobe -- \"$fk_m\"" + words
                                                        : "modprobe -r -- \"$fk_m\"";
    const std::string act = mode.check ? "fk_changed=1"
                                       : "fk_changed=1; fk_out=$(" + run_modprobe + " 2>&1) || { printf '%s\\n' \"$fk_out\" >&2; exit 1; }";
    s += state == "present" ? "if [ $fk_loaded = 0 ]; then " + act + "; fi\n" : "if [ $fk_loaded = 1 ]; then " + act + "; fi\n";
    if (persistent != "disabled") {
      Value::Object file_args;  // the modules-load.d file: plain 0644, root-owned
      s += "fk_keep_changed=$fk_changed; fk_changed=0\n";
      if (persistent == "present") {
        s += prepare_temp_snippet("/etc/modules-load.d/" + mod + ".conf", mode);
        s += "printf '%s\\n' \"$fk_m\" > \"$fk_tmp\" || exit 1\n";
        s += install_temp_snippet(file_args, mode, false);
        if (!params->empty()) {
          s += prepare_temp_snippet("/etc/modprobe.d/" + mod + ".conf", mode);
          s += "printf 'options %s %s\\n' \"$fk_m\" " + shell_quote(joined) + " > \"$fk_tmp\" || exit 1\n";
          s += install_temp_snippet(file_args, mode, false);
        }
      } else {
        s += "for fk_f in " + shell_quote("/etc/modules-load.d/" + mod + ".conf") + " " + shell_quote("/etc/modprobe.d/" + mod + ".conf") +
             "; do\n";
        s += "  if [ -e \"$fk_f\" ]; then fk_changed=1" + std::string(mode.check ? "" : "; rm -f -- \"$fk_f\"") + "; fi\ndone\n";
      }
      s += "[ \"$fk_keep_changed\" = 1 ] && fk_changed=1\n";
    }
    return s + kExitByChange;
  }
};

}  // namespace

std::unique_ptr<Module> make_modprobe_module() { return std::make_unique<ModprobeModule>(); }

}  // namespace fleetk8s::modules
