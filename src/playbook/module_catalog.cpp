// The argument schemas, transcribed from Ansible 2.14's modules
// (argument_spec, or DOCUMENTATION for action plugins) and, for sysctl and
// selinux, ansible.posix; for modprobe, community.general. A subset of each
// module's arguments: what fleetk8s implements. Where Ansible checks an
// argument combination inside the module, it is written here as a group so
// that it fails at load time instead of on the host.
#include "fleetk8s/playbook/module_catalog.h"

#include <algorithm>

namespace fleetk8s::playbook {
namespace {

using T = ArgType;

std::vector<std::string> names_for(const std::string& name, std::vector<std::string> extra = {}) {
  std::vector<std::string> names{name, "ansible.builtin." + name, "ansible.legacy." + name};
  names.insert(names.end(), extra.begin(), extra.end());
  return names;
}

// The file attributes every file-writing module shares (Ansible's
// add_file_common_args; the SELinux context ones are left out).
std::vector<ArgSpec> with_file_attrs(std::vector<ArgSpec> args) {
  args.push_back({.name = "mode", .type = T::kMode});
  args.push_back({.name = "owner"});
  args.push_back({.name = "group"});
  return args;
}

std::vector<ArgSpec> package_manager_args() {
  return {
      {.name = "name", .aliases = {"pkg"}, .type = T::kList},
      {.name = "state", .choices = {"absent", "installed", "latest", "present", "removed"}},
      {.name = "disable_gpg_check", .type = T::kBool, .default_value = false},
      {.name = "disablerepo", .type = T::kList, .default_value = Value::Array{}},
      {.name = "enablerepo", .type = T::kList, .default_value = Value::Array{}},
      {.name = "disable_excludes"},
      {.name = "update_cache", .aliases = {"expire-cache"}, .type = T::kBool, .default_value = false},
      {.name = "allow_downgrade", .type = T::kBool, .default_value = false},
  };
}

std::vector<ArgSpec> systemd_args() {
  return {
      {.name = "name", .aliases = {"service", "unit"}},
      {.name = "state", .choices = {"reloaded", "restarted", "started", "stopped"}},
      {.name = "enabled", .type = T::kBool},
      {.name = "daemon_reload", .aliases = {"daemon-reload"}, .type = T::kBool, .default_value = false},
      {.name = "masked", .type = T::kBool},
      {.name = "scope", .default_value = "system", .choices = {"system", "user", "global"}},
  };
}

std::vector<ModuleSpec> build_catalog() {
  std::vector<ModuleSpec> c;
  c.push_back({.name = "assert", .names = names_for("assert"), .args = {
      // A condition or a list of them; unlike a kList a lone string is not
      // split on commas (assert is an action plugin: no AnsibleModule typing).
      {.name = "that", .type = T::kRaw, .required = true},
      {.name = "fail_msg", .aliases = {"msg"}, .type = T::kRaw},  // a string or a list of strings
      {.name = "success_msg", .type = T::kRaw},
      {.name = "quiet", .type = T::kBool, .default_value = false}}});
  c.push_back({.name = "blockinfile", .names = names_for("blockinfile"), .args = with_file_attrs({
      {.name = "path", .aliases = {"dest", "destfile", "name"}, .type = T::kPath, .required = true},
      {.name = "state", .default_value = "present", .choices = {"absent", "present"}},
      {.name = "marker", .default_value = "# {mark} ANSIBLE MANAGED BLOCK"},
      {.name = "block", .aliases = {"content"}, .default_value = ""},
      {.name = "insertafter"},
      {.name = "insertbefore"},
      {.name = "create", .type = T::kBool, .default_value = false},
      {.name = "backup", .type = T::kBool, .default_value = false},
      {.name = "marker_begin", .default_value = "BEGIN"},
      {.name = "marker_end", .default_value = "END"}}),
      .mutually_exclusive = {{"insertbefore", "insertafter"}}});
  c.push_back({.name = "command", .names = names_for("command"), .free_form = FreeForm::kCommand, .args = {
      {.name = "_raw_params"},
      {.name = "argv", .type = T::kList},
      {.name = "chdir", .type = T::kPath},
      {.name = "creates", .type = T::kPath},
      {.name = "removes", .type = T::kPath},
      {.name = "stdin"},
      {.name = "stdin_add_newline", .type = T::kBool, .default_value = true},
      {.name = "strip_empty_ends", .type = T::kBool, .default_value = true}},
      .mutually_exclusive = {{"_raw_params", "argv"}},
      .required_one_of = {{"_raw_params", "argv"}}});
  c.push_back({.name = "copy", .names = names_for("copy"), .args = with_file_attrs({
      {.name = "src", .type = T::kPath},
      {.name = "content", .type = T::kRaw},  // a mapping or list is written as JSON
      {.name = "dest", .type = T::kPath, .required = true},
      {.name = "backup", .type = T::kBool, .default_value = false},
      {.name = "force", .type = T::kBool, .default_value = true},
      {.name = "remote_src", .type = T::kBool, .default_value = false}}),
      .mutually_exclusive = {{"src", "content"}},
      .required_one_of = {{"src", "content"}}});
  c.push_back({.name = "debug", .names = names_for("debug"), .args = {
      {.name = "msg", .type = T::kRaw, .default_value = "Hello world!"},
      {.name = "var"},
      {.name = "verbosity", .type = T::kInt, .default_value = 0}},
      .mutually_exclusive = {{"msg", "var"}}});
  c.push_back({.name = "dnf", .names = names_for("dnf"), .args = package_manager_args(),
      .required_one_of = {{"name", "update_cache"}}});
  c.push_back({.name = "fail", .names = names_for("fail"), .args = {
      {.name = "msg", .type = T::kRaw, .default_value = "Failed as requested from task"}}});
  c.push_back({.name = "fetch", .names = names_for("fetch"), .args = {
      {.name = "src", .required = true},
      {.name = "dest", .required = true},
      {.name = "flat", .type = T::kBool, .default_value = false},
      {.name = "fail_on_missing", .type = T::kBool, .default_value = true}}});
  c.push_back({.name = "file", .names = names_for("file"), .args = with_file_attrs({
      {.name = "path", .aliases = {"dest", "name"}, .type = T::kPath, .required = true},
      // No default: Ansible keeps the current type of an existing path.
      {.name = "state", .choices = {"absent", "directory", "file", "hard", "link", "touch"}},
      {.name = "src", .type = T::kPath},
      {.name = "recurse", .type = T::kBool, .default_value = false},
      {.name = "force", .type = T::kBool, .default_value = false}})});
  c.push_back({.name = "get_url", .names = names_for("get_url"), .args = with_file_attrs({
      {.name = "url", .required = true},
      {.name = "dest", .type = T::kPath, .required = true},
      {.name = "checksum", .default_value = ""},
      {.name = "force", .type = T::kBool, .default_value = false},
      {.name = "timeout", .type = T::kInt, .default_value = 10}})});
  c.push_back({.name = "lineinfile", .names = names_for("lineinfile"), .args = with_file_attrs({
      {.name = "path", .aliases = {"dest", "destfile", "name"}, .type = T::kPath, .required = true},
      {.name = "state", .default_value = "present", .choices = {"absent", "present"}},
      {.name = "regexp", .aliases = {"regex"}},
      {.name = "search_string"},
      {.name = "line", .aliases = {"value"}},
      {.name = "insertafter"},
      {.name = "insertbefore"},
      {.name = "backrefs", .type = T::kBool, .default_value = false},
      {.name = "create", .type = T::kBool, .default_value = false},
      {.name = "backup", .type = T::kBool, .default_value = false}}),
      .mutually_exclusive = {{"insertbefore", "insertafter"}, {"regexp", "search_string"},
                             {"backrefs", "search_string"}},
      .required_if = {{"state", "present", {"line"}},
                      {"backrefs", true, {"regexp"}},
                      {"state", "absent", {"regexp", "search_string", "line"}, true}}});
  c.push_back({.name = "meta", .names = names_for("meta"), .free_form = FreeForm::kAction, .args = {
      {.name = "_raw_params", .required = true,
       .choices = {"flush_handlers", "noop", "end_play", "end_host"}}}});
  c.push_back({.name = "modprobe", .names = names_for("modprobe", {"community.general.modprobe"}), .args = {
      {.name = "name", .required = true},
      {.name = "state", .default_value = "present", .choices = {"absent", "present"}},
      {.name = "params", .default_value = ""},
      {.name = "persistent", .default_value = "disabled", .choices = {"disabled", "absent", "present"}}}});
  // Ansible documents state as required but passes the call on to the
  // package manager module, where it is not; fleetk8s follows the latter.
  c.push_back({.name = "package", .names = names_for("package"), .args = {
      {.name = "name", .type = T::kList, .required = true},
      {.name = "state", .choices = {"absent", "installed", "latest", "present", "removed"}}}});
  c.push_back({.name = "pause", .names = names_for("pause"), .args = {
      {.name = "minutes", .type = T::kInt},
      {.name = "seconds", .type = T::kInt},
      {.name = "prompt"}},
      .mutually_exclusive = {{"minutes", "seconds"}}});
  c.push_back({.name = "raw", .names = names_for("raw"), .free_form = FreeForm::kCommand, .args = {
      {.name = "_raw_params", .required = true},
      {.name = "executable"}}});
  c.push_back({.name = "replace", .names = names_for("replace"), .args = with_file_attrs({
      {.name = "path", .aliases = {"dest", "destfile", "name"}, .type = T::kPath, .required = true},
      {.name = "regexp", .required = true},
      {.name = "replace", .default_value = ""},
      {.name = "after"},
      {.name = "before"},
      {.name = "backup", .type = T::kBool, .default_value = false}})});
  c.push_back({.name = "selinux", .names = names_for("selinux", {"ansible.posix.selinux"}), .args = {
      {.name = "policy"},
      {.name = "state", .required = true, .choices = {"disabled", "enforcing", "permissive"}},
      {.name = "configfile", .aliases = {"conf", "file"}, .default_value = "/etc/selinux/config"}},
      .required_if = {{"state", "enforcing", {"policy"}}, {"state", "permissive", {"policy"}}}});
  c.push_back({.name = "service", .names = names_for("service"), .args = {
      {.name = "name", .required = true},
      {.name = "state", .choices = {"reloaded", "restarted", "started", "stopped"}},
      {.name = "enabled", .type = T::kBool}},
      .required_one_of = {{"state", "enabled"}}});
  c.push_back({.name = "set_fact", .names = names_for("set_fact"), .free_form = FreeForm::kAnyKeys, .args = {
      {.name = "cacheable", .type = T::kBool, .default_value = false}}});
  c.push_back({.name = "setup", .names = names_for("setup"), .args = {
      {.name = "gather_subset", .type = T::kList, .default_value = Value::Array{"all"}},
      {.name = "filter", .type = T::kList, .default_value = Value::Array{}}}});
  c.push_back({.name = "shell", .names = names_for("shell"), .free_form = FreeForm::kCommand, .args = {
      {.name = "_raw_params", .required = true},
      {.name = "chdir", .type = T::kPath},
      {.name = "creates", .type = T::kPath},
      {.name = "removes", .type = T::kPath},
      {.name = "executable", .type = T::kPath},
      {.name = "stdin"},
      {.name = "stdin_add_newline", .type = T::kBool, .default_value = true},
      {.name = "strip_empty_ends", .type = T::kBool, .default_value = true}}});
  c.push_back({.name = "stat", .names = names_for("stat"), .args = {
      {.name = "path", .aliases = {"dest", "name"}, .type = T::kPath, .required = true},
      {.name = "get_checksum", .type = T::kBool, .default_value = true},
      {.name = "checksum_algorithm", .aliases = {"checksum", "checksum_algo"}, .default_value = "sha1",
       .choices = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"}}}});
  c.push_back({.name = "sysctl", .names = names_for("sysctl", {"ansible.posix.sysctl"}), .args = {
      {.name = "name", .aliases = {"key"}, .required = true},
      {.name = "value", .aliases = {"val"}},
      {.name = "state", .default_value = "present", .choices = {"absent", "present"}},
      {.name = "reload", .type = T::kBool, .default_value = true},
      {.name = "sysctl_set", .type = T::kBool, .default_value = false},
      {.name = "ignoreerrors", .type = T::kBool, .default_value = false},
      {.name = "sysctl_file", .type = T::kPath, .default_value = "/etc/sysctl.conf"}},
      .required_if = {{"state", "present", {"value"}}}});
  c.push_back({.name = "systemd",
      .names = names_for("systemd", {"systemd_service", "ansible.builtin.systemd_service",
                                     "ansible.legacy.systemd_service"}),
      .args = systemd_args(),
      .required_one_of = {{"state", "enabled", "masked", "daemon_reload"}},
      .required_by = {{"state", {"name"}}, {"enabled", {"name"}}, {"masked", {"name"}}}});
  c.push_back({.name = "template", .names = names_for("template"), .args = with_file_attrs({
      {.name = "src", .type = T::kPath, .required = true},
      {.name = "dest", .type = T::kPath, .required = true},
      {.name = "backup", .type = T::kBool, .default_value = false}})});
  c.push_back({.name = "wait_for", .names = names_for("wait_for"), .args = {
      {.name = "host", .default_value = "127.0.0.1"},
      {.name = "port", .type = T::kInt},
      {.name = "path", .type = T::kPath},
      {.name = "state", .default_value = "started",
       .choices = {"absent", "drained", "present", "started", "stopped"}},
      {.name = "timeout", .type = T::kInt, .default_value = 300},
      {.name = "delay", .type = T::kInt, .default_value = 0},
      {.name = "search_regex"}},
      .mutually_exclusive = {{"port", "path"}}});
  c.push_back({.name = "yum", .names = names_for("yum"), .args = package_manager_args(),
      .required_one_of = {{"name", "update_cache"}}});
  c.push_back({.name = "yum_repository", .names = names_for("yum_repository"), .args = {
      {.name = "name", .required = true},
      {.name = "description"},
      {.name = "baseurl", .type = T::kList},
      {.name = "metalink"},
      {.name = "mirrorlist"},
      {.name = "gpgkey", .type = T::kList},
      {.name = "gpgcheck", .type = T::kBool},
      {.name = "repo_gpgcheck", .type = T::kBool},
      {.name = "enabled", .type = T::kBool},
      {.name = "exclude", .type = T::kList},
      {.name = "file"},
      {.name = "state", .default_value = "present", .choices = {"absent", "present"}}},
      .required_if = {{"state", "present", {"baseurl", "metalink", "mirrorlist"}, true},
                      {"state", "present", {"description"}}}});
  return c;
}

}  // namespace

const char* to_string(ArgType type) {
  switch (type) {
    case ArgType::kStr: return "string";
    case ArgType::kBool: return "boolean";
    case ArgType::kInt: return "integer";
    case ArgType::kFloat: return "number";
    case ArgType::kList: return "list";
    case ArgType::kDict: return "mapping";
    case ArgType::kPath: return "path";
    case ArgType::kRaw: return "value";
    case ArgType::kMode: return "file mode";
  }
  return "value";
}

const ArgSpec* ModuleSpec::find_arg(std::string_view arg) const {
  for (const ArgSpec& a : args) {
    if (a.name == arg) return &a;
    if (std::find(a.aliases.begin(), a.aliases.end(), arg) != a.aliases.end()) return &a;
  }
  return nullptr;
}

const std::vector<ModuleSpec>& module_catalog() {
  static const std::vector<ModuleSpec> catalog = build_catalog();
  return catalog;
}

const ModuleSpec* find_module(std::string_view name) {
  for (const ModuleSpec& m : module_catalog()) {
    if (std::find(m.names.begin(), m.names.end(), name) != m.names.end()) return &m;
  }
  return nullptr;
}

}  // namespace fleetk8s::playbook
