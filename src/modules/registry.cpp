#include "registry.h"

namespace fleetk8s::modules {

Registry::Registry() {
  for (const char* n : {"command", "shell", "raw"}) modules_.emplace(n, make_command_module(n));
  modules_.emplace("copy", make_copy_module());
  modules_.emplace("file", make_file_module());
  modules_.emplace("lineinfile", make_lineinfile_module());
  modules_.emplace("replace", make_replace_module());
  modules_.emplace("blockinfile", make_blockinfile_module());
  modules_.emplace("stat", make_stat_module());
  modules_.emplace("get_url", make_get_url_module());
  modules_.emplace("wait_for", make_wait_for_module());
  modules_.emplace("sysctl", make_sysctl_module());
  modules_.emplace("modprobe", make_modprobe_module());
  for (const char* n : {"systemd", "systemd_service", "service"}) modules_.emplace(n, make_systemd_module(n));
  for (const char* n : {"dnf", "yum", "package"}) modules_.emplace(n, make_dnf_module(n));
  modules_.emplace("yum_repository", make_yum_repository_module());
  modules_.emplace("selinux", make_selinux_module());
}

const Module* Registry::find(std::string_view name) const {
  auto it = modules_.find(name);
  return it == modules_.end() ? nullptr : it->second.get();
}

const Registry& registry() {
  static const Registry instance;
  return instance;
}

}  // namespace fleetk8s::modules
