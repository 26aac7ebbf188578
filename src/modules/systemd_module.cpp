// systemd / service: a unit's running state, enablement and mask, from one
// `systemctl show` per run when nothing needs doing.
#include "arg_check.h"
#include "file_lib.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

class SystemdModule final : public Module {
 public:
  explicit SystemdModule(std::string name) : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    const std::string unit = arg_string(args, "name");
    const std::string state = arg_string(args, "state");
    const bool reload_daemon = arg_bool(args, "daemon_reload", false) || arg_bool(args, "daemon-reload", false);
    if (auto ok = no_nul(args); !ok) return ok.error().context(name_);
    if (unit.empty() && !reload_daemon) return Error(ErrorKind::kInvalidInput, name_ + ": name is required");
    // systemd's unit name characters ("\\" for escapes such as \x2d).
    if (!unit.empty()) {
      if (auto ok = check_name("name", unit, ":_.\\@-", "a systemd unit name"); !ok) return ok.error().context(name_);
    }
    if (!state.empty() && state != "started" && state != "stopped" && state != "restarted" && state != "reloaded") {
      return Error(ErrorKind::kInvalidInput, name_ + ": state must be one of: reloaded, restarted, started, stopped; got \"" +
                                                 shown(state) + "\"");
    }
    const bool check = mode.check;
    std::string s = std::string(kScriptHead) + "fk_changed=0\nfk_u=" + shell_quote(unit) + "\n";
    auto run = [&](const std::string& cmd) {
      return check ? std::string("fk_changed=1")
                   : "fk_changed=1; fk_out=$(systemctl " + cmd + " -- \"$fk_u\" 2>&1) || { printf '%s\\n' \"$fk_out\" >&2; exit 1; }";
    };
    if (reload_daemon && !check) {
      s += "fk_out=$(systemctl daemon-reload 2>&1) || { echo \"$fk_out\" >&2; exit 1; }\n";
    }
    if (unit.empty()) return s + kExitByChange;
    s += "fk_show=$(systemctl show -p LoadState,ActiveState,UnitFileState -- \"$fk_u\" 2>&1) || { printf '%s\\n' \"$fk_show\" >&2; exit 1; }\n";
    s += "fk_load=; fk_active=; fk_file=\n";
    s += "while IFS='=' read -r fk_key fk_val; do case $fk_key in LoadState) fk_load=$fk_val ;; "
         "ActiveState) fk_active=$fk_val ;; UnitFileState) fk_file=$fk_val ;; esac; done <<EOF\n$fk_show\nEOF\n";
    const bool mask_set = args.count("masked") && !args.at("masked").is_null();
    const bool masked = arg_bool(args, "masked", false);
    if (mask_set && masked) {
      s += "if [ \"$fk_file\" != masked ]; then " + run("mask") + "; fk_file=masked; fi\n";
    }
    if (check) {
      // In check mode an earlier task (a package install) may be what
      // would bring the unit: that is drift to report, not a failure.
      const std::string full = unit.find('.') == std::string::npos ? unit + ".service" : unit;
      s += "if [ \"$fk_load\" = not-found ] && [ \"$fk_file\" != masked ]; then "
           "printf 'unit %s not found (an earlier task would install it)\\n' " + shell_quote(full) + "; exit 100; fi\n";
    } else {
      s += "if [ \"$fk_load\" = not-found ] && [ \"$fk_file\" != masked ]; then "
           "printf 'Could not find the requested service %s: host\\n' \"$fk_u\" >&2; exit 1; fi\n";
    }
    if (mask_set && !masked) {
      s += "if [ \"$fk_file\" = masked ]; then " + run("unmask") + "; fi\n";
    }
    if (args.count("enabled") && !args.at("enabled").is_null()) {
      if (arg_bool(args, "enabled", false)) {
        s += "case $fk_file in enabled|enabled-runtime|static|indirect|alias|generated|transient) ;; "
             "masked) printf 'Unit %s is masked, cannot enable\\n' \"$fk_u\" >&2; exit 1 ;; *) " + run("enable") + " ;; esac\n";
      } else {
        s += "case $fk_file in enabled|enabled-runtime) " + run("disable") + " ;; esac\n";
      }
    }
    if (state == "started") {
      s += "case $fk_active in active|activating|reloading) ;; *) " + run("start") + " ;; esac\n";
    } else if (state == "stopped") {
      s += "case $fk_active in active|activating|reloading|deactivating) " + run("stop") + " ;; esac\n";
    } else if (state == "restarted") {
      s += run("restart") + "\n";
    } else if (state == "reloaded") {
      s += "case $fk_active in active) " + run("reload") + " ;; *) " + run("start") + " ;; esac\n";
    }
    return s + kExitByChange;
  }

  Outcome interpret(const CommandResult& ran, const Value::Object& args, const RunMode& mode) const override {
    Outcome o = Module::interpret(ran, args, mode);
    o.diff.clear();  // stdout carries no diff, only the check-mode note
    if (o.changed && mode.check) {
      std::string note = ran.out;
      while (!note.empty() && note.back() == '\n') note.pop_back();
      if (note.find("an earlier task would install it") != std::string::npos) o.msg = note;
    }
    return o;
  }

 private:
  std::string name_;
};

}  // namespace

std::unique_ptr<Module> make_systemd_module(std::string name) { return std::make_unique<SystemdModule>(std::move(name)); }

}  // namespace fleetk8s::modules
