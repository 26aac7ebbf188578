// sysctl (ansible.posix.sysctl): a key persisted in a sysctl file, applied
// at runtime with sysctl_set, the file reloaded after a change.
#include "arg_check.h"
#include "file_lib.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

class SysctlModule final : public Module {
 public:
  std::string_view name() const override { return "sysctl"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    auto made = make_script(args, mode);
    if (!made) return made.error().context("sysctl");
    return made;
  }

 private:
  static Result<std::string> make_script(const Value::Object& args, const RunMode& mode) {
    if (auto ok = no_nul(args); !ok) return ok.error();
    const std::string key = arg_string(args, "name");
    const std::string value = arg_string(args, "value");
    const std::string state = arg_string(args, "state", "present");
    if (key.empty()) return Error(ErrorKind::kInvalidInput, "name is required");
    if (state != "present" && state != "absent") {
      return Error(ErrorKind::kInvalidInput, "state must be one of: present, absent; got \"" + shown(state) + "\"");
    }
    if (state == "present" && value.empty()) return Error(ErrorKind::kInvalidInput, "value is required");
    // Keys as sysctl names them: dotted or slashed path segments.
    if (auto ok = check_name("name", key, "_.-/:@", "a sysctl key"); !ok) return ok.error();
    // One line of the sysctl file: a newline would add another key.
    if (auto ok = one_line("value", value); !ok) return ok.error();
    const std::string file = arg_string(args, "sysctl_file", "/etc/sysctl.conf");
    const bool reload = arg_bool(args, "reload", true);
    const bool set_now = arg_bool(args, "sysctl_set", false);
    const bool ignore = arg_bool(args, "ignoreerrors", false);

    std::string s = std::string(kScriptHead) + "fk_changed=0\nfk_file_changed=0\nfk_k=" + shell_quote(key) + "\nfk_v=" + shell_quote(value) + "\n";
    s += prepare_temp_snippet(file, mode);
    // One awk pass rewrites the file: the key's last assignment gets the
    // value, duplicates go, a missing key is appended. Values compare with
    // whitespace folded, as sysctl prints tabs between vector fields. Key
    // and value come from the environment (awk -v would read escapes), the
    // file on stdin (an operand with '=' would be an assignment).
    s += "if [ -f \"$fk_dest\" ]; then fk_src=\"$fk_dest\"; else fk_src=/dev/null; fi\n";
    s += "fk_st=" + shell_quote(state) + " fk_k=\"$fk_k\" fk_v=\"$fk_v\" awk '\n"
         "function norm(s) { gsub(/[ \\t]+/, \" \", s); sub(/^ /, \"\", s); sub(/ $/, \"\", s); return s }\n"
         "BEGIN { k = ENVIRON[\"fk_k\"]; v = ENVIRON[\"fk_v\"]; st = ENVIRON[\"fk_st\"] }\n"
         "{ i = index($0, \"=\") }\n"
         "$0 !~ /^[ \\t]*[#;]/ && i > 0 && norm(substr($0, 1, i - 1)) == k {\n"
         "  if (st == \"present\" && !done) { done = 1; if (norm(substr($0, i + 1)) == norm(v)) print; else print k \"=\" v }\n"
         "  next }\n"
         "{ print }\n"
         "END { if (st == \"present\" && !done) print k \"=\" v }' < \"$fk_src\" > \"$fk_tmp\" || exit 1\n";
    if (state == "absent") s += "[ -f \"$fk_dest\" ] || exit 0\n";
    s += install_temp_snippet(args, mode, false);
    s += "fk_file_changed=$fk_changed\n";
    if (set_now && state == "present") {
      // Whitespace folded without globbing: fk_fold splits with set -f.
      s += "fk_fold() { ( set -f; set -- $1; printf '%s' \"$*\" ); }\n";
      // -e, as Ansible: a key the kernel does not have yet (its module not
      // loaded: an earlier task would load it) reads as empty, a change to
      // report in check mode; setting it fails.
      s += "fk_now=$(sysctl -e -n -- \"$fk_k\" 2>&1) || { printf '%s\\n' \"$fk_now\" >&2; exit 1; }\n";
      s += "if [ \"$(fk_fold \"$fk_now\")\" != \"$(fk_fold \"$fk_v\")\" ]; then fk_changed=1";
      s += mode.check ? "; fi\n"
                      : "; fk_out=$(sysctl -w -- \"$fk_k=$fk_v\" 2>&1) || { printf '%s\\n' \"$fk_out\" >&2; exit 1; }; fi\n";
    }
    if (reload && !mode.check) {
      s += std::string("if [ \"$fk_file_changed\" = 1 ]; then fk_out=$(sysctl -p -- \"$fk_dest\" 2>&1)") +
           (ignore ? "; fi\n" : " || { echo \"$fk_out\" >&2; exit 1; }; fi\n");
    }
    return s + kExitByChange;
  }
};

}  // namespace

std::unique_ptr<Module> make_sysctl_module() { return std::make_unique<SysctlModule>(); }

}  // namespace fleetk8s::modules
