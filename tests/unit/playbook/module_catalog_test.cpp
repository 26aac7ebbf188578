#include <catch2/catch.hpp>

#include "fleetk8s/playbook/module_catalog.h"

using fleetk8s::Value;
using namespace fleetk8s::playbook;

namespace {

Value::Object valid(const std::string& module, const Value::Object& args) {
  auto r = validate_values(module, args);
  INFO((r.ok() ? std::string() : r.error().message()));
  REQUIRE(r.ok());
  return *r;
}

std::string invalid(const std::string& module, const Value::Object& args) {
  auto r = validate_values(module, args);
  REQUIRE_FALSE(r.ok());
  return r.error().message();
}

}  // namespace

TEST_CASE("find_module knows short names, FQCNs and module aliases", "[playbook][catalog]") {
  REQUIRE(find_module("copy"));
  CHECK(find_module("ansible.builtin.copy")->name == "copy");
  CHECK(find_module("ansible.legacy.copy")->name == "copy");
  CHECK(find_module("ansible.posix.sysctl")->name == "sysctl");
  CHECK(find_module("ansible.posix.selinux")->name == "selinux");
  CHECK(find_module("community.general.modprobe")->name == "modprobe");
  CHECK(find_module("systemd_service")->name == "systemd");
  CHECK(find_module("ansible.builtin.systemd_service")->name == "systemd");
  CHECK(find_module("yum")->name == "yum");
  CHECK(find_module("package")->name == "package");
  CHECK_FALSE(find_module("user"));
  CHECK_FALSE(find_module("ansible.posix.copy"));
}

TEST_CASE("the catalog is sorted and every module has its builtin names", "[playbook][catalog]") {
  const auto& catalog = module_catalog();
  CHECK(catalog.size() == 29);
  for (size_t i = 0; i < catalog.size(); ++i) {
    const ModuleSpec& m = catalog[i];
    if (i > 0) CHECK(catalog[i - 1].name < m.name);
    CHECK(m.names.at(0) == m.name);
    CHECK(find_module("ansible.builtin." + m.name) == &m);
    for (const ArgSpec& a : m.args) {
      CHECK_FALSE((a.required && !a.default_value.is_null()));
    }
  }
}

TEST_CASE("validate_values converts as Ansible does", "[playbook][catalog]") {
  Value::Object copy = valid("copy", {{"src", "a"}, {"dest", "/tmp/a"}, {"backup", "yes"}, {"force", "0"}});
  CHECK(copy.at("backup") == Value(true));
  CHECK(copy.at("force") == Value(false));
  CHECK(copy.at("remote_src") == Value(false));  // default filled in

  Value::Object dnf = valid("ansible.builtin.dnf", {{"pkg", "vim,curl"}, {"state", "latest"}});
  CHECK(dnf.at("name") == Value(Value::Array{"vim", "curl"}));
  CHECK_FALSE(dnf.count("pkg"));
  CHECK(dnf.at("disablerepo") == Value(Value::Array{}));

  Value::Object wait = valid("wait_for", {{"port", "6443"}, {"timeout", 30.0}});
  CHECK(wait.at("port") == Value(6443));
  CHECK(wait.at("timeout") == Value(30));
  CHECK(wait.at("host") == Value("127.0.0.1"));

  Value::Object sysctl = valid("sysctl", {{"key", "vm.swappiness"}, {"val", 10}});
  CHECK(sysctl.at("name") == Value("vm.swappiness"));
  CHECK(sysctl.at("value") == Value("10"));
  CHECK(sysctl.at("sysctl_file") == Value("/etc/sysctl.conf"));

  Value::Object debug = valid("debug", {{"msg", Value::Array{"a", 1}}});
  CHECK(debug.at("msg") == Value(Value::Array{"a", 1}));
  CHECK(valid("debug", {}).at("msg") == Value("Hello world!"));

  CHECK(valid("set_fact", {{"my_var", Value::Object{{"a", 1}}}}).at("cacheable") == Value(false));
  CHECK(valid("file", {{"path", "/x"}, {"mode", 0644}}).at("mode") == Value(0644));
  CHECK(valid("file", {{"path", "/x"}, {"mode", "u=rwX,g+r,o-w"}}).at("mode") == Value("u=rwX,g+r,o-w"));
  CHECK(valid("copy", {{"content", "x"}, {"dest", "/x"}, {"mode", "preserve"}}).at("mode") == Value("preserve"));
  CHECK(valid("stat", {{"path", "/x"}, {"checksum_algorithm", "sha256"}}).at("get_checksum") == Value(true));
  CHECK(valid("command", {{"argv", Value::Array{"ls", "-l"}}}).at("argv") == Value(Value::Array{"ls", "-l"}));
  CHECK(valid("setup", {}).at("gather_subset") == Value(Value::Array{"all"}));
  CHECK(valid("assert", {{"that", "x in [1, 2]"}}).at("that") == Value("x in [1, 2]"));
  // A null value counts as not given, as in Ansible.
  CHECK(valid("service", {{"name", "crio"}, {"state", "started"}, {"enabled", nullptr}}).count("enabled") == 0);
}

TEST_CASE("validate_values rejects what Ansible's modules reject", "[playbook][catalog]") {
  CHECK(invalid("cpy", {}) == "unknown module 'cpy'");
  CHECK(invalid("dnf", {{"name", "vim"}, {"state", "{{ x }}"}}) ==
        "dnf: state must be one of: absent, installed, latest, present, removed; got '{{ x }}'");
  CHECK(invalid("wait_for", {{"port", "https"}}) == "wait_for: port must be an integer; got 'https'");
  // A float is an integer only when whole and inside 64 bits (the cast was undefined past them).
  CHECK(valid("wait_for", {{"port", 443.0}}).at("port") == Value(443));
  CHECK(invalid("wait_for", {{"port", 1e300}}) == "wait_for: port must be an integer; got 1e+300");
  CHECK(invalid("wait_for", {{"port", 9223372036854775808.0}}).rfind("wait_for: port must be an integer", 0) == 0);
  CHECK(invalid("dnf", {{"name", Value::Array{Value::Object{}}}}) == "dnf: name items must be a string; got {}");
  CHECK(invalid("command", {{"_raw_params", "ls"}, {"argv", Value::Array{"ls"}}}) ==
        "command: parameters are mutually exclusive: free_form, argv");
  CHECK(invalid("command", {{"chdir", "/"}}) == "command: one of the following is required: free_form, argv");
  CHECK(invalid("shell", {}) == "shell: missing required parameter 'free_form'");
  CHECK(invalid("debug", {{"msg", "a"}, {"var", "b"}}) == "debug: parameters are mutually exclusive: msg, var");
  CHECK(invalid("systemd", {{"state", "started"}}) == "systemd: missing parameter(s) required by 'state': name");
  CHECK(invalid("systemd", {{"name", "crio"}}) ==
        "systemd: one of the following is required: state, enabled, masked, daemon_reload");
  CHECK(invalid("service", {{"name", "crio"}}) == "service: one of the following is required: state, enabled");
  CHECK(invalid("selinux", {{"state", "enforcing"}}) ==
        "selinux: state is enforcing but all of the following are missing: policy");
  CHECK(invalid("lineinfile", {{"path", "/x"}, {"regexp", "^a"}}) ==
        "lineinfile: state is present but all of the following are missing: line");
  CHECK(invalid("lineinfile", {{"path", "/x"}, {"state", "absent"}}) ==
        "lineinfile: state is absent but any of the following are missing: regexp, search_string, line");
  CHECK(invalid("lineinfile", {{"path", "/x"}, {"line", "a"}, {"backrefs", "yes"}}) ==
        "lineinfile: backrefs is True but all of the following are missing: regexp");
  CHECK(invalid("yum_repository", {{"name", "k8s"}, {"description", "K8s"}}) ==
        "yum_repository: state is present but any of the following are missing: baseurl, metalink, mirrorlist");
  CHECK(invalid("set_fact", {{"my-var", 1}}) ==
        "set_fact: 'my-var' is not a valid variable name: use letters, digits and _, not starting with a digit");
  CHECK(invalid("set_fact", {{"cacheable", "perhaps"}}) == "set_fact: cacheable must be a boolean; got 'perhaps'");
  CHECK(invalid("pause", {{"minutes", 1}, {"seconds", 2}}) == "pause: parameters are mutually exclusive: minutes, seconds");
  CHECK(invalid("file", {{"path", "/x"}, {"mode", "0999"}}) ==
        "file: mode must be an octal mode like '0644' or a symbolic one like 'u=rw,g=r'; got '0999'");
  CHECK(invalid("copy", {{"dest", "/x"}, {"src", Value::Array{}}}) == "copy: src must be a string; got []");
  CHECK(invalid("template", {{"src", "a"}, {"dest", "b"}, {"validate", "x"}}) ==
        "template: unsupported parameter 'validate'; supported: backup, dest, group, mode, owner, src");
}
