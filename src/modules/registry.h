// The table of host-side modules. Private to src/modules.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "fleetk8s/modules/module.h"

namespace fleetk8s::modules {

class Registry {
 public:
  Registry();
  const Module* find(std::string_view name) const;

 private:
  std::map<std::string, std::unique_ptr<Module>, std::less<>> modules_;
};

const Registry& registry();

// Factories, one per file.
std::unique_ptr<Module> make_command_module(std::string name);  // command, shell, raw
std::unique_ptr<Module> make_copy_module();
std::unique_ptr<Module> make_file_module();
// Text files, facts and waiting.
std::unique_ptr<Module> make_lineinfile_module();
std::unique_ptr<Module> make_replace_module();
std::unique_ptr<Module> make_blockinfile_module();
std::unique_ptr<Module> make_stat_module();
std::unique_ptr<Module> make_get_url_module();
std::unique_ptr<Module> make_wait_for_module();
// The operating system.
std::unique_ptr<Module> make_sysctl_module();
std::unique_ptr<Module> make_modprobe_module();
std::unique_ptr<Module> make_systemd_module(std::string name);  // systemd, systemd_service, service
std::unique_ptr<Module> make_dnf_module(std::string name);      // dnf, yum, package
std::unique_ptr<Module> make_yum_repository_module();
std::unique_ptr<Module> make_selinux_module();

}  // namespace fleetk8s::modules
