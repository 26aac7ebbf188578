// yum_repository: one [section] of a .repo file under /etc/yum.repos.d,
// written the way Ansible writes it (sorted "key = value" lines, a blank
// line after the section), other sections of the file kept as they are.
#include <map>

#include "arg_check.h"
#include "file_lib.h"
#include "registry.h"

namespace fleetk8s::modules {

namespace {

// Ansible's option names that map to other .repo keys.
const std::map<std::string, std::string>& renamed() {
  static const std::map<std::string, std::string> m{{"description", "name"}};
  return m;
}

bool has_file_arg(const Value::Object& args) {
  auto it = args.find("file");
  return it != args.end() && !it->second.is_null();
}

bool is_repo_key(const std::string& k) {
  static const char* keys[] = {"baseurl", "description", "enabled", "exclude", "gpgcheck", "gpgkey", "includepkgs",
                               "metalink", "mirrorlist", "module_hotfixes", "priority", "repo_gpgcheck", "sslverify",
                               "timeout", "cost", "skip_if_unavailable", "proxy", "metadata_expire"};
  for (const char* x : keys) if (k == x) return true;
  return false;
}

std::string repo_value(const Value& v) {
  if (v.is_bool()) return v.as_bool() ? "1" : "0";
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v.as_array()) out += (out.empty() ? "" : " ") + x.to_display();
    return out;
  }
  const std::string s = v.to_display();
  if (s == "yes" || s == "true" || s == "True") return "1";
  if (s == "no" || s == "false" || s == "False") return "0";
  return s;
}

class YumRepositoryModule final : public Module {
 public:
  std::string_view name() const override { return "yum_repository"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    auto made = make_script(args, mode);
    if (!made) return made.error().context("yum_repository");
    return made;
  }

 private:
  static Result<std::string> make_script(const Value::Object& args, const RunMode& mode) {
    if (auto ok = no_nul(args); !ok) return ok.error();
    if (auto ok = check_attribute_args(args); !ok) return ok.error();
    const std::string id = arg_string(args, "name");
    if (id.empty()) return Error(ErrorKind::kInvalidInput, "name is required");
    const std::string state = arg_string(args, "state", "present");
    if (state != "present" && state != "absent") {
      return Error(ErrorKind::kInvalidInput, "state must be one of: absent, present; got \"" + shown(state) + "\"");
    }
    // The id is a [section] header and (by default) the file name: dnf's
    // repo id characters only, so it can neither close the header early
    // nor name another directory.
    if (auto ok = check_name("name", id, "_.:-", "a repository id"); !ok) return ok.error();
    if (has_file_arg(args)) {
      if (auto ok = check_name("file", arg_string(args, "file"), "_.:@+-", "a file name (without .repo)"); !ok) {
        return ok.error();
      }
    }
    std::map<std::string, std::string> keys;
    for (const auto& [k, v] : args) {
      if (!is_repo_key(k) || v.is_null()) continue;
      auto r = renamed().find(k);
      keys[r == renamed().end() ? k : r->second] = repo_value(v);
      // One line each: a newline would start another key or section.
      if (auto ok = one_line(k, keys[r == renamed().end() ? k : r->second]); !ok) return ok.error();
    }
    if (state == "present") {
      if (!keys.count("name")) return Error(ErrorKind::kInvalidInput, "description is required");
      if (!keys.count("baseurl") && !keys.count("metalink") && !keys.count("mirrorlist")) {
        return Error(ErrorKind::kInvalidInput, "one of baseurl, metalink, mirrorlist is required");
      }
    }
    std::string block;
    if (state == "present") {
      block = "[" + id + "]\n";
      for (const auto& [k, v] : keys) block += k + " = " + v + "\n";
      block += "\n";
    }
    const std::string dir = arg_string(args, "reposdir", "/etc/yum.repos.d");
    const std::string file = dir + "/" + arg_string(args, "file", id) + ".repo";
    std::string s = std::string(kScriptHead) + "fk_changed=0\n" + prepare_temp_snippet(file, mode);
    s += "if [ -f \"$fk_dest\" ]; then fk_src=\"$fk_dest\"; else fk_src=/dev/null; fi\n";
    // The section arrives through the environment: awk -v would mangle
    // backslashes and cannot hold newlines.
    s += "FK_BLOCK=" + shell_quote(block) + " FK_ID=" + shell_quote(id) + " awk '\n"
         "/^\\[.*\\][ \\t]*$/ { ours = ($0 == \"[\" ENVIRON[\"FK_ID\"] \"]\"); if (ours && !done) { printf \"%s\", ENVIRON[\"FK_BLOCK\"]; done = 1; last = \"\" } }\n"
         "!ours { print; last = $0 }\n"
         "END { if (!done && ENVIRON[\"FK_BLOCK\"] != \"\") { if (NR > 0 && last != \"\") print \"\"; printf \"%s\", ENVIRON[\"FK_BLOCK\"] } }' "
         "< \"$fk_src\" > \"$fk_tmp\" || exit 1\n";
    if (state == "absent") {
      s += "[ -f \"$fk_dest\" ] || exit 0\n";
      // A file left without sections goes, as Ansible removes it.
      s += "if ! grep -q -e '^\\[' -- \"$fk_tmp\"; then fk_changed=1" +
           std::string(mode.check ? "" : "; rm -f -- \"$fk_dest\"") + "; exit 100; fi\n";
    }
    Value::Object keep;
    for (const char* a : {"mode", "owner", "group"}) {
      if (auto it = args.find(a); it != args.end()) keep[a] = it->second;
    }
    s += install_temp_snippet(keep, mode, false);
    return s + kExitByChange;
  }
};

}  // namespace

std::unique_ptr<Module> make_yum_repository_module() { return std::make_unique<YumRepositoryModule>(); }

}  // namespace fleetk8s::modules
