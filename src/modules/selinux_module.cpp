// selinux (ansible.posix.selinux): the mode in /etc/selinux/config and, where
// it can change without a reboot, at runtime (setenforce).
#include "arg_check.h"
#include "file_lib.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

class SelinuxModule final : public Module {
 public:
  std::string_view name() const override { return "selinux"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    if (auto ok = no_nul(args); !ok) return ok.error().context("selinux");
    const std::string state = arg_string(args, "state");
    if (state != "enforcing" && state != "permissive" && state != "disabled") {
      return Error(ErrorKind::kInvalidInput,
                   "selinux: state must be one of: disabled, enforcing, permissive; got \"" + shown(state) + "\"");
    }
    const std::string policy = arg_string(args, "policy", state == "disabled" ? "" : "targeted");
    // One word of the config file (targeted, minimum, mls).
    if (!policy.empty()) {
      if (auto ok = check_name("policy", policy, "_-", "an SELinux policy name"); !ok) return ok.error().context("selinux");
    }
    const std::string config = arg_string(args, "configfile", "/etc/selinux/config");
    std::string s = std::string(kScriptHead) + "fk_changed=0\n" + prepare_temp_snippet(config, mode);
    s += "if [ ! -f \"$fk_dest\" ]; then echo \"$fk_dest does not exist: is SELinux installed?\" >&2; exit 1; fi\n";
    s += "awk -v st=" + shell_quote(state) + " -v pol=" + shell_quote(policy) +
         " 'BEGIN { FS = \"=\" } /^SELINUX=/ { print \"SELINUX=\" st; s = 1; next } "
         "/^SELINUXTYPE=/ && pol != \"\" { print \"SELINUXTYPE=\" pol; t = 1; next } { print } "
         "END { if (!s) print \"SELINUX=\" st; if (!t && pol != \"\") print \"SELINUXTYPE=\" pol }' < \"$fk_dest\" > \"$fk_tmp\" || exit 1\n";
    Value::Object keep;  // the config file keeps its mode and owner
    s += install_temp_snippet(keep, mode, false);
    if (state != "disabled") {
      const std::string want = state == "enforcing" ? "Enforcing" : "Permissive";
      const std::string flag = state == "enforcing" ? "1" : "0";
      s += "fk_now=$(getenforce 2>/dev/null || echo Disabled)\n";
      s += "if [ \"$fk_now\" = Disabled ]; then echo 'SELinux is disabled at runtime: a reboot is required to " + state +
           " it' ; elif [ \"$fk_now\" != " + want + " ]; then fk_changed=1";
      s += mode.check ? "; fi\n" : "; setenforce " + flag + " || exit 1; fi\n";
    } else {
      s += "[ \"$fk_changed\" = 1 ] && echo 'Config SELinux state changed from enforcing to disabled: reboot required'\n";
    }
    return s + kExitByChange;
  }

  Outcome interpret(const CommandResult& ran, const Value::Object& args, const RunMode& mode) const override {
    Outcome o = Module::interpret(ran, args, mode);
    if (!o.failed && ran.out.find("reboot") != std::string::npos) o.msg = ran.out.substr(ran.out.rfind('\n', ran.out.size() - 2) + 1);
    return o;
  }
};

}  // namespace

std::unique_ptr<Module> make_selinux_module() { return std::make_unique<SelinuxModule>(); }

}  // namespace fleetk8s::modules
