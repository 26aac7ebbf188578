// dnf / yum / package: packages present, latest or absent. One `rpm -q`
// decides a converged run; dnf runs only when something is missing.
#include "arg_check.h"
#include "file_lib.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

std::vector<std::string> names_of(const Value::Object& args) {
  std::vector<std::string> out;
  auto it = args.find("name");
  if (it == args.end()) return out;
  auto add = [&](const std::string& s) {
    std::string cur;
    for (char c : s + ",") {  // "a,b" is a list, as Ansible splits it
      if (c == ',') {
        while (!cur.empty() && cur.back() == ' ') cur.pop_back();
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else if (!(c == ' ' && cur.empty())) {
        cur += c;
      }
    }
  };
  if (it->second.is_array()) {
    for (const auto& v : it->second.as_array()) add(v.to_display());
  } else if (!it->second.is_null()) {
    add(it->second.to_display());
  }
  return out;
}

// A package spec as this module handles it: NAME, NAME-VERSION[-RELEASE],
// with an epoch ("0:") and an arch (".x86_64"), or a glob of those
// (* ? [...]). Never an option, a path, a URL or a group.
Result<void> check_spec(const std::string& spec) {
  return check_name("name", spec, "._+:~^*?[]-", "a package spec (NAME, NAME-VERSION or a glob of those)");
}

class DnfModule final : public Module {
 public:
  explicit DnfModule(std::string name) : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    const auto pkgs = names_of(args);
    std::string state = arg_string(args, "state", "present");
    if (state == "installed") state = "present";
    if (state == "removed") state = "absent";
    if (state != "present" && state != "absent" && state != "latest") {
      return Error(ErrorKind::kInvalidInput,
                   name_ + ": state must be one of: absent, installed, latest, present, removed; got \"" + state + "\"");
    }
    if (auto ok = no_nul(args); !ok) return ok.error().context(name_);
    if (pkgs.empty()) return Error(ErrorKind::kInvalidInput, name_ + ": name is required");
    for (const auto& p : pkgs) {
      if (auto ok = check_spec(p); !ok) return ok.error().context(name_);
    }
    std::string opts = " -y";
    if (auto d = arg_string(args, "disable_excludes"); !d.empty()) opts += " --disableexcludes=" + shell_quote(d);
    for (const char* key : {"enablerepo", "disablerepo"}) {
      auto it = args.find(key);
      if (it == args.end() || it->second.is_null()) continue;
      std::vector<std::string> repos;
      if (it->second.is_array()) for (const auto& r : it->second.as_array()) repos.push_back(r.to_display());
      else repos.push_back(it->second.to_display());
      for (const auto& r : repos) opts += std::string(" --") + key + "=" + shell_quote(r);
    }
    if (arg_bool(args, "disable_gpg_check", false)) opts += " --nogpgcheck";
    if (arg_bool(args, "allow_downgrade", false)) opts += " --allowerasing";

    // The packages to act on gather in the positional parameters: each one
    // word, whatever it holds, after `--`.
    std::string s = std::string(kScriptHead) + "fk_changed=0\nset --\n";
    // A spec is NAME, NAME-VERSION[-RELEASE] or a glob of those. rpm -q
    // answers exact specs; globs are matched against NAME-VERSION-RELEASE,
    // the pattern coming from a variable (a pattern, not shell code).
    for (const auto& p : pkgs) {
      const bool glob = p.find_first_of("*?[") != std::string::npos;
      std::string base = p;
      if (glob) {
        // The name ends at the last '-' that is followed by a digit.
        for (std::size_t i = p.size(); i-- > 1;) {
          if (p[i - 1] == '-' && std::isdigit(static_cast<unsigned char>(p[i]))) {
            base = p.substr(0, i - 1);
            break;
          }
        }
      }
      const std::string q = shell_quote(p);
      const std::string installed =
          glob ? "rpm -q --qf '%{NAME}-%{VERSION}-%{RELEASE}\\n' -- " + shell_quote(base) +
                     " 2>/dev/null | { fk_hit=1; while read -r fk_nvr; do case $fk_nvr in $fk_pat|$fk_pat-*) fk_hit=0 ;; "
                     "esac; done; exit $fk_hit; }"
               : "rpm -q -- " + q + " >/dev/null 2>&1";
      if (glob) s += "fk_pat=" + q + "\n";
      s += std::string(state == "absent" ? "if " : "if ! ") + installed + "; then set -- \"$@\" " + q + "; fi\n";
    }
    std::string all;
    for (const auto& p : pkgs) all += " " + shell_quote(p);
    const std::string fail = " 2>&1) || { printf '%s\\n' \"$fk_out\" >&2; exit 1; }";
    if (state == "present") {
      s += "if [ $# -gt 0 ]; then fk_changed=1";
      s += mode.check ? "; fi\n" : "; fk_out=$(dnf install" + opts + " -- \"$@\"" + fail + "; printf '%s\\n' \"$fk_out\"; fi\n";
    } else if (state == "absent") {
      s += "if [ $# -gt 0 ]; then fk_changed=1";
      s += mode.check ? "; fi\n" : "; fk_out=$(dnf remove" + opts + " -- \"$@\"" + fail + "; printf '%s\\n' \"$fk_out\"; fi\n";
    } else {  // latest: missing ones get installed, installed ones upgraded when newer exist
      std::string check_opts = opts.substr(3);  // no -y for check-update
      s += "if [ $# -gt 0 ]; then fk_changed=1";
      s += mode.check ? "; fi\n" : "; fk_out=$(dnf install" + opts + " -- \"$@\"" + fail + "; fi\n";
      s += "dnf -q check-update" + check_opts + " --" + all + " >/dev/null 2>&1; fk_rc=$?\n";
      s += "if [ $fk_rc = 100 ]; then fk_changed=1";
      s += mode.check ? "; elif [ $fk_rc != 0 ]; then echo 'dnf check-update failed' >&2; exit 1; fi\n"
                      : "; fk_out=$(dnf upgrade" + opts + " --" + all + fail +
                            "; elif [ $fk_rc != 0 ]; then echo 'dnf check-update failed' >&2; exit 1; fi\n";
    }
    return s + kExitByChange;
  }

  Outcome interpret(const CommandResult& ran, const Value::Object& args, const RunMode& mode) const override {
    Outcome o = Module::interpret(ran, args, mode);
    o.diff.clear();  // stdout is dnf's transcript, not a diff
    if (o.failed) o.msg = "dnf failed: " + o.msg;
    return o;
  }

 private:
  std::string name_;
};

}  // namespace

std::unique_ptr<Module> make_dnf_module(std::string name) { return std::make_unique<DnfModule>(std::move(name)); }

}  // namespace fleetk8s::modules
